"""HTML → PDF with WeasyPrint for printable summaries. Nothing is fetched from the network: the page
carries its CSS inline and uses installed fonts; any URL other than ``file:`` and ``data:`` is refused."""

from __future__ import annotations

from typing import Any


def offline_url_fetcher(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Refuse anything but local files and data URIs (so a printed page never calls out)."""
    if not url.startswith(("file:", "data:")):
        raise ValueError(f"网络资源不允许用于打印：{url[:80]}")
    from weasyprint import default_url_fetcher

    return default_url_fetcher(url, *args, **kwargs)  # type: ignore[no-any-return]


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=None, url_fetcher=offline_url_fetcher).write_pdf()  # type: ignore[no-any-return]
