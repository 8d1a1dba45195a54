"""DOCX → PDF through LibreOffice, headless (Debian's `libreoffice-writer-nogui`, installed by
`scripts/ensure-libreoffice` with `fonts-liberation2`: Liberation Serif has the metrics of Times New
Roman and the Vietnamese letters, so the PDF keeps the DOCX's line breaks and pages).

Each conversion runs its own LibreOffice with a private profile in a temporary folder: two at once
(two web requests, pytest-xdist workers) would otherwise share `~/.config/libreoffice`, and the second
would hand its document to the first and exit without a file. The messages of the two errors are
meant for the user as they are (the command and the download show `str(error)`).
"""

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

TIMEOUT = 120  # seconds; one report converts in a few


class ConverterMissing(RuntimeError):
    """LibreOffice is not installed (or SOFFICE_PATH names no program)."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "LibreOffice is not installed, so the report cannot be converted to PDF: install it with "
                "“apt-get install libreoffice-writer-nogui fonts-liberation2” (or run "
                "scripts/ensure-libreoffice), or set SOFFICE_PATH to the soffice program. "
                "The DOCX can still be written."
            )
        )


class ConversionFailed(RuntimeError):
    """LibreOffice ran but wrote no PDF, or ran too long; `detail` keeps what it said, for the logs."""

    def __init__(self, *, timeout: int | None = None, detail: str = "") -> None:
        if timeout is None:
            message = _("The report could not be converted to PDF: LibreOffice stopped with an error.")
        else:
            message = _(
                "The report could not be converted to PDF: LibreOffice took longer than %(seconds)s seconds."
            ) % {"seconds": timeout}
        super().__init__(message + " " + _("Try again, or download the DOCX."))
        self.detail = detail


def soffice() -> str:
    """The LibreOffice program: SOFFICE_PATH when set, else `soffice` or `libreoffice` on the PATH."""
    named = os.environ.get("SOFFICE_PATH")
    if named:
        if Path(named).is_file() and os.access(named, os.X_OK):
            return named
        raise ConverterMissing()
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise ConverterMissing()
    return found


def docx_to_pdf(docx: Path, pdf: Path, *, timeout: int = TIMEOUT) -> None:
    """Write `pdf` from `docx`. Raises ConverterMissing or ConversionFailed; `pdf` is then untouched."""
    program = soffice()
    with tempfile.TemporaryDirectory(prefix="danvan-soffice-") as work:
        profile, out = Path(work, "profile"), Path(work, "out")
        command = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out),
            str(Path(docx).resolve()),
        ]
        said = _run(command, timeout)
        written = out / (Path(docx).stem + ".pdf")
        if not written.is_file() or written.stat().st_size == 0:
            raise ConversionFailed(detail=said)
        shutil.move(written, pdf)


def _run(command: list[str], timeout: int) -> str:
    """Run LibreOffice in a process group of its own, so a timeout ends soffice.bin too, not only its
    launcher script; return what it printed."""
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        said, _unused = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        said, _unused = process.communicate()
        raise ConversionFailed(timeout=timeout, detail=said or "") from None
    return said or ""
