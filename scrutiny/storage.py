"""Private file storage: uploaded papers have no public URL at all."""

import functools

from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files reach readers only through views that ask the access policy."""

    def url(self, name):
        raise NotImplementedError(
            "Private files have no public URL; serve them through an access-checked view."
        )


@functools.cache
def _private_s3_storage():
    from storages.backends.s3 import S3Storage

    class PrivateS3Storage(S3Storage):
        """Files in an S3-compatible bucket (django-storages): still served only through
        the access-checked views, never by a link to the bucket."""

        def url(self, name, parameters=None, expire=None, http_method=None):
            raise NotImplementedError(
                "Private files have no public URL; serve them through an access-checked view."
            )

    return PrivateS3Storage


def __getattr__(name):
    # Defined on first use, so that sites on disk never import boto3.
    if name == "PrivateS3Storage":
        return _private_s3_storage()
    raise AttributeError(name)


def random_name(folder: str, meeting_id: int, extension: str) -> str:
    """A storage path under the meeting's folder whose name reveals nothing of the
    paper's title or content (exempt titles must never show in a file name)."""
    import uuid

    return f"{folder}/{meeting_id}/{uuid.uuid4().hex}.{extension}"
