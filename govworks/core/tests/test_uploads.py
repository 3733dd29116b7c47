"""Uploads are what they claim (issue 12 item 8): the content's signature must match the extension, and a refusal
names what the content really is."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from govworks.core.errors import DomainError
from govworks.core.uploads import content_kind, upload_bytes_check, upload_check

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
GIF = b"GIF89a\x01\x00\x01\x00"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 "
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32
DWG = b"AC1032\x00\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00"
ALL = (".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".dwg", ".ofd", ".csv")


def _zip(*parts: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for part in parts:
            archive.writestr(part, "<x/>")
    return out.getvalue()


def _xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


DOCX = _zip("[Content_Types].xml", "word/document.xml")
OFD = _zip("OFD.xml", "Doc_0/Document.xml")
ZIP = _zip("a.txt")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "pdf"), (PNG, "png"), (JPEG, "jpeg"), (GIF, "gif"), (WEBP, "webp"), (OLE, "ole"), (DWG, "dwg"),
        (HTML, "html"), (b"  \n<html><p>x</p>", "html"), (SVG, "xml"), (EXE, "exe"), (b"", "empty"),
        ("编号,金额\n1,2\n".encode(), "text"), ("编号,金额\n".encode("gb18030"), "text"), (DOCX, "docx"),
        (_xlsx(), "xlsx"), (OFD, "ofd"), (ZIP, "zip"), (b"\x00\x01\x02\x03binary", "unknown"),
    ],
)  # fmt: skip
def test_content_kind_reads_the_signature(data: bytes, kind: str) -> None:
    assert content_kind(data[:4096], data=data) == kind


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("纪要.pdf", PDF), ("照片.jpg", JPEG), ("照片.JPEG", JPEG), ("图.png", PNG), ("图.gif", GIF), ("图.webp", WEBP),
        ("合同.docx", DOCX), ("清单.xlsx", _xlsx()), ("旧合同.doc", OLE), ("旧清单.xls", OLE), ("图纸.dwg", DWG),
        ("资料.zip", ZIP), ("资料.zip", DOCX), ("电子公文.ofd", OFD), ("回单.csv", b"a,b\n1,2\n"),
        ("手机照片.jpg", PNG),  # a PNG saved as .jpg is still a picture the list allows
    ],
)  # fmt: skip
def test_files_that_are_what_they_claim_pass(name: str, data: bytes) -> None:
    upload = SimpleUploadedFile(name, data)
    upload_check(upload, field="file", types=ALL, max_bytes=1024 * 1024)
    assert upload.tell() == 0  # left at the start for storing


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("通知.pdf", HTML, "文件内容为 HTML，不是 PDF，请上传真实的文件"),
        ("照片.jpg", HTML, "文件内容为 HTML，不是 JPEG 图片，请上传真实的文件"),
        ("图.png", SVG, "文件内容为 XML/SVG，不是 PNG 图片，请上传真实的文件"),
        ("合同.docx", ZIP, "文件内容为 ZIP 压缩包，不是 Word 文档（.docx），请上传真实的文件"),
        ("清单.xlsx", DOCX, "文件内容为 Word 文档（.docx），不是 Excel 表格（.xlsx），请上传真实的文件"),
        ("纪要.pdf", EXE, "文件内容为 可执行程序，不是 PDF，请上传真实的文件"),
        ("纪要.pdf", JPEG, "文件内容为 JPEG 图片，不是 PDF，请上传真实的文件"),
        ("旧合同.doc", PDF, "文件内容为 PDF，不是 Word 文档（.doc），请上传真实的文件"),
        ("回单.csv", HTML, "文件内容为 HTML，不是 CSV 文本，请上传真实的文件"),
        ("回单.csv", EXE, "文件内容为 可执行程序，不是 CSV 文本，请上传真实的文件"),
        ("空.pdf", b"", "文件内容为 空文件，不是 PDF，请上传真实的文件"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused_naming_the_content(name: str, data: bytes, message: str) -> None:
    with pytest.raises(DomainError) as info:
        upload_check(SimpleUploadedFile(name, data), field="file", types=ALL, max_bytes=1024 * 1024)
    assert (info.value.code, info.value.message, info.value.field) == ("file.content", message, "file")


def test_a_picture_named_jpg_is_refused_where_only_pdf_is_allowed() -> None:
    with pytest.raises(DomainError) as info:
        upload_check(SimpleUploadedFile("a.jpg", JPEG), field="file", types=(".pdf",), max_bytes=1024)
    assert (info.value.code, info.value.message) == ("file.type", "文件类型不支持：只接受 PDF")


def test_extension_and_size_are_checked_before_the_content() -> None:
    with pytest.raises(DomainError) as info:
        upload_check(SimpleUploadedFile("a.exe", EXE), field="f", types=(".pdf", ".jpg", ".jpeg"), max_bytes=1024)
    assert (info.value.code, info.value.message) == ("file.type", "文件类型不支持：只接受 PDF、JPG、JPEG")
    with pytest.raises(DomainError) as info:
        upload_check(SimpleUploadedFile("a.pdf", PDF + b"0" * 2_000_000), field="f", types=(".pdf",), max_bytes=1048576)
    assert (info.value.code, info.value.message) == ("file.size", "文件不能超过 1MB（当前 1.9MB）")


def test_bytes_already_read_are_checked_the_same_way() -> None:
    assert upload_bytes_check(_xlsx(), name="进度.xlsx", field="file", types=(".xlsx",), max_bytes=1048576) == "xlsx"
    with pytest.raises(DomainError) as info:
        upload_bytes_check(HTML, name="进度.xlsx", field="file", types=(".xlsx",), max_bytes=1048576)
    assert info.value.message == "文件内容为 HTML，不是 Excel 表格（.xlsx），请上传真实的文件"
