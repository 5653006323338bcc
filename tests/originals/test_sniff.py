"""Formats are found from the content (magic bytes, ZIP members, an HTML start), the name only breaks ties."""

from __future__ import annotations

import codecs
import io
import zipfile

import makers
import pytest

from govkg.model import InputError
from govkg.read.sniff import sniff


@pytest.fixture(scope="module")
def document() -> makers.Document:
    return makers.sample_document("003")


def test_office_files_whatever_their_name(document):
    assert sniff(makers.write_docx(document), "report.txt") == "docx"
    assert sniff(makers.write_xlsx(document), "report.bin") == "xlsx"
    assert sniff(b"%PDF-1.4\n...", "report.docx") == "pdf"
    assert sniff(b"junk before the header %PDF-1.7\n", "x") == "pdf"


@pytest.mark.parametrize("start", [
    b"<!DOCTYPE html><html><body><p>x</p></body></html>",
    b"\xef\xbb\xbf  \n<!-- saved from url -->\n<HTML><BODY>x</BODY></HTML>",
    b'<?xml version="1.0" encoding="gb2312"?>\n<html xmlns="http://www.w3.org/1999/xhtml"></html>',
    b"<table><tr><td>1</td></tr></table>",
    b'<meta http-equiv="Content-Type" content="text/html; charset=gbk"><p>x</p>',
    codecs.BOM_UTF16_LE + "<html><body>页面</body></html>".encode("utf-16-le"),
])
def test_html_by_its_start(start):
    assert sniff(start, "page.txt") == "html"


def test_text_stays_text():
    assert sniff("\t序号\n\t工作任务\n".encode(), "a.txt") == "text"
    assert sniff("序号 < 10 的任务\n".encode(), "a.html") == "text"
    assert sniff("通知正文\n<p>后面才有标记</p>".encode(), "a.htm") == "html"  # the name breaks the tie


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(("members", "expected"), [
    ({"readme.txt": b"x"}, "ZIP archive, not a Word or Excel document"),
    ({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}, "OpenDocument"),
    ({"ppt/presentation.xml": b"<x/>"}, "PowerPoint"),
    ({"xl/workbook.bin": b"x"}, ".xlsb"),
])
def test_other_containers_are_refused(members, expected):
    with pytest.raises(InputError, match=expected):
        sniff(_zip(members), "a.docx")


def test_rtf_is_refused():
    with pytest.raises(InputError, match="RTF"):
        sniff(b"{\\rtf1\\ansi hello}", "a.doc")


def test_encrypted_office_file_is_refused(document, tmp_path):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(makers.write_docx(document))).encrypt("secret", encrypted)
    assert msoffcrypto  # the OLE container of an encrypted OOXML file holds EncryptionInfo / EncryptedPackage
    with pytest.raises(InputError, match="password-protected"):
        sniff(encrypted.getvalue(), "a.docx")
