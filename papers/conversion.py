"""Office documents to PDF with LibreOffice in headless mode, as officers write them.

Each conversion runs in its own temporary profile and folder, with a time limit, so
that one stuck or hostile file cannot hold up or poison the next.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings


class ConversionError(Exception):
    pass


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(data: bytes, extension: str) -> bytes:
    program = soffice()
    if program is None:
        raise ConversionError("LibreOffice is not installed on this server.")
    with tempfile.TemporaryDirectory(prefix="scrutiny-convert-") as folder:
        work = Path(folder)
        source = work / f"document.{extension}"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        try:
            subprocess.run(  # noqa: S603 (our own command line, the file is ours)
                command,
                capture_output=True,
                timeout=settings.SCRUTINY_CONVERSION_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise ConversionError(
                f"Converting it took longer than {settings.SCRUTINY_CONVERSION_TIMEOUT} seconds."
            ) from error
        result = work / "out" / "document.pdf"
        if not result.exists():
            raise ConversionError("LibreOffice could not open it; it may be damaged.")
        return result.read_bytes()
