"""danvan.formats.office: DOCX → PDF through LibreOffice headless, and what the user is told when it
cannot be done. A stand-in `soffice` (SOFFICE_PATH) plays the failures; the real one converts."""

import os
import sys
import threading
import time
from pathlib import Path

import pytest
from docx import Document

from danvan.formats.office import ConversionFailed, ConverterMissing, docx_to_pdf


def _docx(path: Path, text: str = "ĐẢNG CỘNG SẢN VIỆT NAM") -> Path:
    document = Document()
    document.add_paragraph(text)
    document.save(str(path))
    return path


def _stand_in(tmp_path: Path, body: str) -> Path:
    """A `soffice` of our own: a Python script given LibreOffice's arguments as `args`."""
    program = tmp_path / "soffice"
    program.write_text(f"#!{sys.executable}\nimport pathlib, sys, time\nargs = sys.argv[1:]\n{body}\n")
    program.chmod(0o755)
    return program


def test_a_missing_libreoffice_is_told_in_vietnamese(tmp_path, monkeypatch):
    monkeypatch.setenv("SOFFICE_PATH", str(tmp_path / "khong-co" / "soffice"))
    with pytest.raises(ConverterMissing) as error:
        docx_to_pdf(_docx(tmp_path / "a.docx"), tmp_path / "a.pdf")
    assert str(error.value).startswith("Chưa cài LibreOffice để chuyển sang PDF: cài bằng lệnh")
    assert "libreoffice-writer-nogui" in str(error.value) and "Báo cáo DOCX vẫn xuất được." in str(
        error.value
    )
    assert not (tmp_path / "a.pdf").exists()
    monkeypatch.delenv("SOFFICE_PATH")
    monkeypatch.setenv("PATH", str(tmp_path))  # neither soffice nor libreoffice on the PATH
    with pytest.raises(ConverterMissing):
        docx_to_pdf(tmp_path / "a.docx", tmp_path / "a.pdf")


def test_each_conversion_has_a_private_profile_and_the_result_is_moved_to_the_target(tmp_path, monkeypatch):
    calls = tmp_path / "calls.txt"
    program = _stand_in(
        tmp_path,
        f"pathlib.Path({str(calls)!r}).open('a').write(' '.join(args) + '\\n')\n"
        "out = pathlib.Path(args[args.index('--outdir') + 1]); out.mkdir(parents=True)\n"
        "(out / (pathlib.Path(args[-1]).stem + '.pdf')).write_bytes(b'%PDF-1.7 stand-in')",
    )
    monkeypatch.setenv("SOFFICE_PATH", str(program))
    docx = _docx(tmp_path / "bao-cao.docx")
    docx_to_pdf(docx, tmp_path / "one.pdf")
    docx_to_pdf(docx, tmp_path / "two.pdf")
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes() == b"%PDF-1.7 stand-in"
    lines = [line.split() for line in calls.read_text().splitlines()]
    profiles = [arg for line in lines for arg in line if arg.startswith("-env:UserInstallation=file:///")]
    assert len(profiles) == 2 and profiles[0] != profiles[1]
    assert all(
        "--headless" in line and line[line.index("--convert-to") + 1].startswith("pdf") for line in lines
    )
    folders = [Path(profile.removeprefix("-env:UserInstallation=file://")).parent for profile in profiles]
    assert not any(folder.exists() for folder in folders)  # the profiles and outputs are cleaned up


def test_libreoffice_writing_nothing_is_a_failure_told_in_vietnamese(tmp_path, monkeypatch):
    program = _stand_in(tmp_path, "print('Error: source file could not be loaded'); sys.exit(1)")
    monkeypatch.setenv("SOFFICE_PATH", str(program))
    with pytest.raises(ConversionFailed) as error:
        docx_to_pdf(_docx(tmp_path / "a.docx"), tmp_path / "a.pdf")
    assert str(error.value) == (
        "Không chuyển được báo cáo sang PDF: LibreOffice báo lỗi khi chuyển đổi. Hãy thử lại hoặc tải bản DOCX."
    )
    assert "source file could not be loaded" in error.value.detail  # for the logs, not the user
    assert not (tmp_path / "a.pdf").exists()


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in {"Z", "X"}  # killed, waiting for init to reap it


def test_a_conversion_running_too_long_is_stopped_with_everything_it_started(tmp_path, monkeypatch):
    child = tmp_path / "child.pid"
    program = _stand_in(
        tmp_path,
        "import subprocess\n"
        "worker = subprocess.Popen(['sleep', '300'])\n"  # soffice.bin under its launcher
        f"pathlib.Path({str(child)!r}).write_text(str(worker.pid))\n"
        "worker.wait()",
    )
    monkeypatch.setenv("SOFFICE_PATH", str(program))
    with pytest.raises(
        ConversionFailed, match=r"LibreOffice chạy quá 2 giây\. Hãy thử lại hoặc tải bản DOCX\."
    ):
        docx_to_pdf(_docx(tmp_path / "a.docx"), tmp_path / "a.pdf", timeout=2)
    pid = int(child.read_text())
    for _ in range(50):
        if _gone(pid):
            break
        time.sleep(0.1)
    assert _gone(pid)
    assert not (tmp_path / "a.pdf").exists()


def test_two_conversions_at_once_both_write_their_pdf(tmp_path, monkeypatch):
    monkeypatch.delenv("SOFFICE_PATH", raising=False)
    jobs = [
        (_docx(tmp_path / f"{name}.docx", f"Báo cáo {name}"), tmp_path / f"{name}.pdf") for name in ("a", "b")
    ]
    errors: list[BaseException] = []

    def convert(docx: Path, pdf: Path) -> None:
        try:
            docx_to_pdf(docx, pdf)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=convert, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for _docx_path, pdf in jobs:
        assert pdf.read_bytes().startswith(b"%PDF")
    assert sorted(os.listdir(tmp_path)) == ["a.docx", "a.pdf", "b.docx", "b.pdf"]
