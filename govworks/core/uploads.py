"""Uploads are what they claim (issue 12 item 8): the one check every uploaded file passes before it is stored
or read. The extension must be on the allow-list of the document type, the size within its limit, and the
content must match the extension by its signature (magic bytes): an HTML page renamed ``.pdf`` is refused with
“文件内容为 HTML，不是 PDF”. No extra package: the signatures of the formats GovWorks accepts are sniffed here.

Office files are zip archives: ``.docx``/``.xlsx``/``.ofd`` are told apart by the part every such archive has
(``word/document.xml``, ``xl/workbook.xml``, ``OFD.xml``); the legacy ``.doc``/``.xls`` are OLE compound files.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Any

from govworks.core.errors import DomainError

HEAD_BYTES = 4096

# detected kind → the name a person reads
KIND_NAMES: dict[str, str] = {
    "pdf": "PDF",
    "png": "PNG 图片",
    "jpeg": "JPEG 图片",
    "gif": "GIF 图片",
    "webp": "WebP 图片",
    "docx": "Word 文档（.docx）",
    "xlsx": "Excel 表格（.xlsx）",
    "pptx": "PowerPoint 文稿（.pptx）",
    "ofd": "OFD 版式文件",
    "zip": "ZIP 压缩包",
    "ole": "旧版 Office 文件（.doc/.xls）",
    "dwg": "DWG 图纸",
    "html": "HTML",
    "xml": "XML/SVG",
    "exe": "可执行程序",
    "elf": "可执行程序",
    "script": "脚本",
    "rar": "RAR 压缩包",
    "7z": "7z 压缩包",
    "text": "文本",
    "empty": "空文件",
    "unknown": "无法识别的内容",
}

# extension → the kinds of content it may hold, and the name of what the extension claims
EXTENSIONS: dict[str, tuple[frozenset[str], str]] = {
    ".pdf": (frozenset({"pdf"}), "PDF"),
    ".png": (frozenset({"png"}), "PNG 图片"),
    ".jpg": (frozenset({"jpeg"}), "JPEG 图片"),
    ".jpeg": (frozenset({"jpeg"}), "JPEG 图片"),
    ".gif": (frozenset({"gif"}), "GIF 图片"),
    ".webp": (frozenset({"webp"}), "WebP 图片"),
    ".docx": (frozenset({"docx"}), "Word 文档（.docx）"),
    ".xlsx": (frozenset({"xlsx"}), "Excel 表格（.xlsx）"),
    ".doc": (frozenset({"ole"}), "Word 文档（.doc）"),
    ".xls": (frozenset({"ole"}), "Excel 表格（.xls）"),
    ".ofd": (frozenset({"ofd"}), "OFD 版式文件"),
    ".zip": (frozenset({"zip", "docx", "xlsx", "pptx", "ofd"}), "ZIP 压缩包"),
    ".dwg": (frozenset({"dwg"}), "DWG 图纸"),
    ".csv": (frozenset({"text"}), "CSV 文本"),
}
IMAGE_KINDS = frozenset({"png", "jpeg", "gif", "webp"})


def _zip_kind(data: bytes | None, file: Any) -> str:
    """What a zip archive is, by the parts inside it (reads the central directory only)."""
    try:
        source = io.BytesIO(data) if data is not None else file
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "unknown"
    finally:
        if data is None and hasattr(file, "seek"):
            file.seek(0)
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "OFD.xml" in names:
        return "ofd"
    return "zip"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as err:
            if err.start >= len(head) - 4:  # a character cut by the end of the sample
                return True
    return False


def content_kind(head: bytes, *, data: bytes | None = None, file: Any = None) -> str:
    """The kind of content from its first bytes (``head``); zip archives are opened (``data`` or ``file``) to
    tell Word, Excel and OFD apart. Returns a key of ``KIND_NAMES``."""
    if not head:
        return "empty"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data, file) if (data is not None or file is not None) else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"AC10"):
        return "dwg"
    if head.startswith(b"MZ"):
        return "exe"
    if head.startswith(b"\x7fELF"):
        return "elf"
    if head.startswith(b"Rar!\x1a\x07"):
        return "rar"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    if head.startswith(b"#!"):
        return "script"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<img", b"<a ")):
        return "html"
    if text.startswith((b"<?xml", b"<svg")):
        return "html" if b"<html" in text else "xml"
    if _looks_like_text(head):
        return "html" if b"<script" in text or b"<html" in text else "text"
    return "unknown"


def _extension(name: str) -> str:
    name = name.lower().strip()
    return name[name.rfind(".") :] if "." in name else ""


def _allowed_kinds(extension: str, types: Sequence[str]) -> frozenset[str]:
    kinds, _ = EXTENSIONS[extension]
    if kinds <= IMAGE_KINDS:  # a PNG saved as .jpg is still a picture: any image type the list allows
        kinds = kinds | frozenset(k for t in types if t in EXTENSIONS for k in EXTENSIONS[t][0] if k in IMAGE_KINDS)
    return kinds


def _types_text(types: Sequence[str]) -> str:
    return "、".join(dict.fromkeys(t.lstrip(".").upper() for t in types))


def upload_content_check(*, name: str, head: bytes, field: str, types: Sequence[str], data: bytes | None = None,
                         file: Any = None) -> str:  # fmt: skip
    """Refuse a file whose extension is not in ``types`` or whose content is not what its extension claims
    (``DomainError`` ``file.type`` / ``file.content``, naming the detected type). Returns the detected kind."""
    extension = _extension(name)
    if extension not in types or extension not in EXTENSIONS:
        raise DomainError("file.type", f"文件类型不支持：只接受 {_types_text(types)}", field=field)
    kind = content_kind(head, data=data, file=file)
    if kind not in _allowed_kinds(extension, types):
        claimed = EXTENSIONS[extension][1]
        raise DomainError(
            "file.content", f"文件内容为 {KIND_NAMES.get(kind, kind)}，不是 {claimed}，请上传真实的文件", field=field
        )
    return kind


def upload_check(file: Any, *, field: str, types: Sequence[str], max_bytes: int) -> str:
    """The check every uploaded file passes before it is stored: extension on the allow-list ``types`` (such as
    ``(".pdf", ".jpg")``), size at most ``max_bytes``, content matching the extension. Refused with a
    ``DomainError`` on ``field`` in Chinese; returns the detected kind. The file is left at position 0."""
    name = str(getattr(file, "name", "") or "")
    extension = _extension(name)
    if extension not in types or extension not in EXTENSIONS:
        raise DomainError("file.type", f"文件类型不支持：只接受 {_types_text(types)}", field=field)
    size = int(getattr(file, "size", 0) or 0)
    if size > max_bytes:
        raise DomainError("file.size", f"文件不能超过 {max_bytes // 1048576}MB（当前 {size / 1048576:.1f}MB）", field=field)
    if hasattr(file, "seek"):
        file.seek(0)
    head = file.read(HEAD_BYTES)
    if hasattr(file, "seek"):
        file.seek(0)
    if isinstance(head, str):
        head = head.encode("utf-8")
    return upload_content_check(name=name, head=head, field=field, types=types, file=file)


def upload_bytes_check(data: bytes, *, name: str, field: str, types: Sequence[str], max_bytes: int) -> str:
    """``upload_check`` for content already read into memory (imports that receive bytes)."""
    if len(data) > max_bytes:
        raise DomainError("file.size", f"文件不能超过 {max_bytes // 1048576}MB（当前 {len(data) / 1048576:.1f}MB）", field=field)
    return upload_content_check(name=name, head=data[:HEAD_BYTES], field=field, types=types, data=data)
