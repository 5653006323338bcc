"""Word 97–2003 .doc, WPS Writer .wps and WPS Spreadsheets .et, converted with LibreOffice and read as .docx / .xlsx.

`soffice --headless --convert-to` runs in a temporary folder with a private user profile (so that conversions do
not disturb, or wait for, a running LibreOffice), with a time limit; LibreOffice does not run a document's macros
when it converts. Without LibreOffice the error names the Debian packages to install.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ...model import FormatName, InputError, Source
from .docx import read_docx
from .xlsx import read_xlsx

#: Longest a conversion may take (seconds).
CONVERT_TIMEOUT = 180
_TARGETS: dict[str, tuple[str, str]] = {
    "doc": ("docx", "libreoffice-writer-nogui"),
    "wps": ("docx", "libreoffice-writer-nogui"),
    "et": ("xlsx", "libreoffice-calc-nogui"),
}


def soffice_path() -> str | None:
    """The LibreOffice command, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, file: str, fmt: str, target: str, *, timeout: float = CONVERT_TIMEOUT) -> bytes:
    """The document converted by LibreOffice to `target`: a file extension ("docx", "pdf"), optionally with a filter
    and its options ("pdf:writer_pdf_Export:{…}")."""
    package = _TARGETS.get(fmt, (target, "libreoffice-writer-nogui"))[1]
    soffice = soffice_path()
    if soffice is None:
        raise InputError(file, f".{fmt} files are read by converting them with LibreOffice, which is not installed: "
                               f"install the package {package} (Debian: apt-get install {package}) or save the "
                               "document as .docx / .xlsx")
    with tempfile.TemporaryDirectory(prefix="govkg-soffice-") as tmp:
        source = Path(tmp) / f"document.{fmt}"
        source.write_bytes(data)
        out = Path(tmp) / "out"
        command = [soffice, f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless", "--norestore",
                   "--nologo", "--nodefault", "--nolockcheck", "--convert-to", target, "--outdir", str(out),
                   str(source)]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise InputError(file, f"LibreOffice did not convert the .{fmt} file within {timeout:.0f} s") from None
        result = out / f"document.{target.split(':', maxsplit=1)[0]}"
        if not result.is_file():
            said = output.decode("utf-8", errors="replace").strip().splitlines()
            detail = f" ({said[-1][:120]})" if said else ""
            raise InputError(file, f"LibreOffice could not convert the .{fmt} file: broken or password-protected?"
                                   f"{detail}")
        return result.read_bytes()


def read_legacy(data: bytes, file: str, fmt: FormatName) -> Source:
    """Read a .doc / .wps / .et file by converting it with LibreOffice; the Source keeps the original's format."""
    target = _TARGETS[fmt][0]
    converted = convert(data, file, fmt, target)
    source = read_docx(converted, file, fmt=fmt) if target == "docx" else read_xlsx(converted, file, fmt=fmt)
    source.sha256 = hashlib.sha256(data).hexdigest()
    source.format = fmt
    return source
