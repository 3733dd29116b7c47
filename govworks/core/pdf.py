"""HTML → PDF with WeasyPrint for printable summaries. Nothing is fetched from outside the application: the
page carries its CSS inline and uses installed fonts. The url_fetcher answers only ``data:`` URIs and the
application's own static files (``/static/…``, looked up through the staticfiles finders, read from disk by
us); ``file:``, ``http(s):``, ``ftp:`` and every other URL are refused, so text a user typed into a printed
record (``<img src="file:///etc/passwd">``, ``<link href="http://x/">``) can neither read the server's files
nor call out."""

from __future__ import annotations

import mimetypes
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import urlopen

from django.conf import settings
from django.contrib.staticfiles import finders

# Relative URLs in a printed page resolve against this origin, which is never fetched: the .invalid top-level
# domain is reserved (RFC 2606), and the fetcher maps exactly this origin's static path to files on disk.
PDF_BASE_URL = "https://govworks.invalid/"


class PdfFetchRefused(ValueError):
    """A printed page asked for a resource that is not one of the application's static files."""


def _static_name(url: str) -> str | None:
    """The static file's name when ``url`` is one of the application's static files, else None."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != PDF_BASE_URL:
        return None
    static_path = "/" + str(settings.STATIC_URL).lstrip("/")
    path = unquote(parts.path)
    if not path.startswith(static_path):
        return None
    name = path[len(static_path) :]
    if not name or ".." in name.split("/"):
        return None
    return name


def offline_url_fetcher(url: str) -> tuple[bytes, str]:
    """The bytes and MIME type of ``url`` when it is a ``data:`` URI or one of the application's static files;
    refuse everything else (no ``file:``, no network) with ``PdfFetchRefused``."""
    if url.startswith("data:"):
        with urlopen(url) as response:  # noqa: S310  (data: only; urllib decodes it without any I/O)
            return response.read(), response.headers.get_content_type()
    name = _static_name(url)
    found = finders.find(name) if name else None
    if not found or isinstance(found, list):
        raise PdfFetchRefused(f"打印页面只能使用本系统的静态文件，已拒绝：{url[:80]}")
    with open(found, "rb") as handle:
        data = handle.read()
    mime_type, _ = mimetypes.guess_type(found)
    return data, mime_type or "application/octet-stream"


def _fetcher() -> Any:
    """A WeasyPrint URL fetcher that answers through ``offline_url_fetcher`` and opens no connection itself."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class OfflineFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            data, mime_type = offline_url_fetcher(url)
            return URLFetcherResponse(url, body=data, headers={"Content-Type": mime_type})

    return OfflineFetcher(allowed_protocols=("data", "https"), allow_redirects=False)


def html_to_pdf(html: str) -> bytes:
    """The page as PDF bytes, fetching nothing from outside the application (see ``offline_url_fetcher``)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=_fetcher()).write_pdf()  # type: ignore[no-any-return]
