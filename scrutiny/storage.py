"""Private file storage: uploaded papers have no public URL at all."""

from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files reach readers only through views that ask the access policy."""

    def url(self, name):
        raise NotImplementedError(
            "Private files have no public URL; serve them through an access-checked view."
        )


def random_name(folder: str, meeting_id: int, extension: str) -> str:
    """A storage path under the meeting's folder whose name reveals nothing of the
    paper's title or content (exempt titles must never show in a file name)."""
    import uuid

    return f"{folder}/{meeting_id}/{uuid.uuid4().hex}.{extension}"
