"""Private file storage: uploaded papers have no public URL at all."""

from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files reach readers only through views that ask the access policy."""

    def url(self, name):
        raise NotImplementedError(
            "Private files have no public URL; serve them through an access-checked view."
        )
