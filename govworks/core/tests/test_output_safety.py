"""Everything exported is inert (issue 12 item 3): no exported cell is a live formula, and a printed PDF fetches
no file of the server and nothing from the network."""

from __future__ import annotations

import base64
import http.server
import io
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from govworks.core import pdf
from govworks.core.xlsx import cell_inert, cell_text_restore, sheet_append, workbook_bytes, workbook_new

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
    "=1+1",
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
]
FORMULA_LIKE = [p for p in PAYLOADS if p[0] in "=+-@\t\r"]
GOVWORKS = Path(__file__).resolve().parents[2]
# a 1×1 PNG
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


# ------------------------------------------------------------------------------------------ Excel


@pytest.mark.parametrize("payload", FORMULA_LIKE)
def test_text_that_starts_a_formula_is_written_with_a_leading_quote(payload: str) -> None:
    assert cell_inert(payload) == "'" + payload
    assert cell_text_restore(cell_inert(payload)) == payload


@pytest.mark.parametrize("value", ["临江建工", "<img src=x onerror=alert(1)>", "a=1", 12, -5, None, "'普通引号"])
def test_other_values_are_written_as_they_are(value: Any) -> None:
    assert cell_inert(value) == value
    assert cell_text_restore(value) == value


def _read_back(data: bytes) -> list[list[tuple[Any, str]]]:
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return [[(cell.value, cell.data_type) for cell in row if cell.value is not None] for row in sheet.iter_rows()]


def test_workbook_read_back_has_no_formula_whichever_way_the_cell_was_written() -> None:
    # given a sheet filled through the shared writer and, past it, straight through openpyxl
    book = workbook_new()
    sheet = book.active
    assert sheet is not None
    sheet_append(sheet, PAYLOADS)
    sheet.cell(row=2, column=1, value='=HYPERLINK("http://x","y")')
    sheet.append(["=1+1", -3])
    # when it is saved by the shared writer
    rows = _read_back(workbook_bytes(book))
    # then no cell is a formula, the formula-like texts carry the quote, the rest is unchanged
    assert rows == [
        [(cell_inert(p), "s") for p in PAYLOADS],
        [('\'=HYPERLINK("http://x","y")', "s")],
        [("'=1+1", "s"), (-3, "n")],
    ]


def test_background_export_writes_payloads_as_inert_text(world: Any) -> None:
    from govworks.core.exports import ExportKind, export_job_request, register_export
    from govworks.core.models import ExportJob

    # given an export whose rows carry the payloads (as a supplier or task name would)
    register_export(
        ExportKind(
            key="test.payloads",
            title="载荷",
            headers=["=名称", "值"],
            rows=lambda user, params: iter([(p, 1) for p in PAYLOADS]),
            count=lambda user, params: len(PAYLOADS),
            allowed=lambda user: True,
        )
    )
    # when the worker writes it (the immediate backend runs it on commit)
    job = export_job_request(actor=world.pm, kind="test.payloads", params={})
    job = ExportJob.objects.get(pk=job.pk)
    if job.status != ExportJob.Status.DONE:
        from govworks.core.exports import export_job_run

        export_job_run.call(job.pk)
        job.refresh_from_db()
    # then every cell read back is text or a number, never a formula
    sheet = load_workbook(job.file.path).active
    assert sheet is not None
    cells = [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]
    assert cells[0] == [("'=名称", "s"), ("值", "s")]
    assert [row[0] for row in cells[1:]] == [(cell_inert(p), "s") for p in PAYLOADS]
    assert all(kind != "f" for row in cells for _, kind in row)


def test_no_module_creates_a_workbook_past_the_shared_writer() -> None:
    """Every export goes through ``core.xlsx``: no other module instantiates openpyxl's Workbook."""
    offenders = []
    for path in GOVWORKS.rglob("*.py"):
        if (path.name == "xlsx.py" and path.parent.name == "core") or "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"(?<![\w.])Workbook\(", text) or "openpyxl.Workbook(" in text:
            offenders.append(str(path.relative_to(GOVWORKS)))
    assert offenders == []


# ------------------------------------------------------------------------------------------ PDF


class _Hits(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        _Hits.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def web_server() -> Iterator[str]:
    _Hits.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Hits)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _has_image(data: bytes) -> bool:
    return b"/Subtype /Image" in data or b"/Subtype/Image" in data


def test_pdf_embeds_a_data_uri_image(settings: Any) -> None:
    """The control for the tests below: an image the fetcher may answer does show in the PDF."""
    uri = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert _has_image(pdf.html_to_pdf(f'<p>图</p><img src="{uri}" width="20">'))


def test_pdf_fetches_no_file_of_the_server(tmp_path: Path) -> None:
    # given a record whose text points at a file on the server
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    html = f'<p>变更理由</p><img src="file://{secret}" width="20"><link rel="stylesheet" href="file:///etc/passwd">'
    # when it is printed, then nothing of the file reaches the PDF
    assert not _has_image(pdf.html_to_pdf(html))
    with pytest.raises(pdf.PdfFetchRefused):
        pdf.offline_url_fetcher(f"file://{secret}")


def test_pdf_fetches_nothing_from_the_network(web_server: str) -> None:
    html = (
        f'<p>供应商</p><img src="{web_server}/x.png" width="20"><link rel="stylesheet" href="{web_server}/a.css">'
        f"<div style=\"background: url('{web_server}/bg.png')\">{PAYLOADS[0]}</div>"
    )
    data = pdf.html_to_pdf(html)
    assert _Hits.hits == [] and not _has_image(data)


@pytest.mark.parametrize(
    "url",
    [
        "https://govworks.invalid/static/../config/settings/base.py",
        "https://govworks.invalid/media/x.png",
        "https://govworks.invalid.example.com/static/js/govworks.js",
        "https://govworks.invalid/static/nothing-here.png",
    ],
)
def test_pdf_fetcher_refuses_what_is_not_a_static_file(url: str) -> None:
    with pytest.raises(pdf.PdfFetchRefused):
        pdf.offline_url_fetcher(url)


def test_pdf_fetcher_serves_the_applications_own_static_files() -> None:
    data, mime_type = pdf.offline_url_fetcher("https://govworks.invalid/static/js/govworks.js")
    assert b"GovWorks page behaviour" in data and mime_type in ("text/javascript", "application/javascript")
