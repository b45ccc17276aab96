"""Uploads of funnel files: kept in memory up to the format's limit and only counted past it, so a huge
file is refused without ever being stored."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest

from funnels.interchange.limits import MAX_FILE_BYTES


class CappedUploadHandler(FileUploadHandler):
    """Keeps an uploaded file in memory up to ``limit`` bytes; past that it only counts, so the file's
    ``size`` is still its true size and the view can refuse it without anything big being stored."""

    def __init__(self, request: HttpRequest | None = None, *, limit: int = MAX_FILE_BYTES) -> None:
        super().__init__(request)
        self.limit = limit

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.kept = BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if start + len(raw_data) <= self.limit:
            self.kept.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile[bytes]:
        kept = self.kept if file_size <= self.limit else BytesIO()
        kept.seek(0)
        return InMemoryUploadedFile(
            file=kept,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
