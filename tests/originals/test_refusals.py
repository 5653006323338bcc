"""Broken, dangerous or unreadable originals: one line naming the file and the problem, exit 2, nothing written."""

from __future__ import annotations

import io
import zipfile

import makers
import pytest

from govkg.cli import main
from govkg.model import InputError
from govkg.read import read_bytes
from govkg.read.formats import legacy
from govkg.read.limits import MAX_FILE_BYTES


def extract_fails(tmp_path, capsys, name: str, data: bytes) -> str:
    """Run `govkg extract` on a file; check exit 2, one line naming the file, no output; return the message."""
    document = tmp_path / name
    document.write_bytes(data)
    output = tmp_path / "out.jsonl"
    assert main(["extract", str(document), "-o", str(output)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and name in err
    assert not output.exists()
    assert "Traceback" not in err
    return err


def test_truncated_docx(tmp_path, capsys):
    data = makers.write_docx(makers.sample_document("003"))
    assert "broken ZIP container" in extract_fails(tmp_path, capsys, "cut.docx", data[: len(data) // 2])


def test_docx_with_a_corrupt_document_part(tmp_path, capsys):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                         'content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.'
                         'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("word/document.xml", b"<w:document><w:body><w:p>not closed")
    assert "broken Word (.docx) file" in extract_fails(tmp_path, capsys, "corrupt.docx", buffer.getvalue())


def test_zip_bomb(tmp_path, capsys):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            for _ in range(20):
                member.write(b"\0" * (1024 * 1024))
    assert len(buffer.getvalue()) < 100_000
    assert "zip bomb" in extract_fails(tmp_path, capsys, "bomb.docx", buffer.getvalue())


def test_file_too_large():
    with pytest.raises(InputError, match="file too large"):
        read_bytes(b"%PDF-1.7\n" + b"\0" * MAX_FILE_BYTES, "huge.pdf")


def test_without_libreoffice_the_error_names_the_package(monkeypatch):
    monkeypatch.setattr(legacy.shutil, "which", lambda name: None)
    with pytest.raises(InputError, match="libreoffice-writer-nogui") as caught:
        legacy.convert(b"\xd0\xcf\x11\xe0", "old.wps", "wps", "docx")
    assert "old.wps" in str(caught.value)
    with pytest.raises(InputError, match="libreoffice-calc-nogui"):
        legacy.convert(b"\xd0\xcf\x11\xe0", "old.et", "et", "xlsx")


def test_encrypted_docx(tmp_path, capsys):
    pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(makers.write_docx(makers.sample_document("003")))).encrypt("secret", encrypted)
    assert "password-protected" in extract_fails(tmp_path, capsys, "locked.docx", encrypted.getvalue())
