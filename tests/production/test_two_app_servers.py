"""The city profile on loopback: two gunicorn app servers behind one address (a round-robin proxy standing in
for nginx), one shared database, sessions in Redis, uploaded files in S3-compatible storage (moto).

A person signs in through one server, changes the initial password on the other, uploads a project document
through one and downloads it through the other; signing out on one ends the session on both.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from .conftest import (
    ROOT,
    Installation,
    PostgresInstallation,
    RedisTarget,
    S3Target,
    free_port,
    postgres_server_url,
    production_env,
)

GUNICORN = str(Path(sys.executable).parent / "gunicorn")  # the test environment's own gunicorn
PASSWORD = "Demo@2026"
NEW_PASSWORD = "Gw#Cluster-2026"


class RoundRobinProxy:
    """One address in front of several app servers, alternating between them (nginx's default upstream
    balancing). It adds X-Forwarded-Proto: https as the TLS-terminating nginx of deploy/nginx does."""

    def __init__(self, backends: list[int]) -> None:
        self.backends = backends
        self.served: list[int] = []
        cycle = itertools.cycle(backends)
        lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def forward(self) -> None:
                with lock:
                    port = next(cycle)
                    proxy.served.append(port)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "keep-alive")}
                headers["X-Forwarded-Proto"] = "https"
                headers["X-Forwarded-For"] = self.client_address[0]
                upstream = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                try:
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    response = upstream.getresponse()
                    payload = response.read()
                    self.send_response(response.status, response.reason)
                    for name, value in response.getheaders():
                        if name.lower() not in ("connection", "transfer-encoding", "content-length", "keep-alive"):
                            self.send_header(name, value)
                    self.send_header("X-Upstream", str(port))
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                finally:
                    upstream.close()

            do_GET = forward
            do_POST = forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Browser:
    """A minimal client: keeps cookies (including Secure ones: the proxy stands for the HTTPS front end)."""

    port: int
    tls: bool = False
    cookies: dict[str, str] = field(default_factory=dict)
    log: list[tuple[str, str, int, int]] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str | None = None) -> Any:
        conn: http.client.HTTPConnection
        if self.tls:  # nginx with a throwaway self-signed certificate
            conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=30, context=ssl._create_unverified_context())  # noqa: S323
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "zh-hans"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.body = response.read()
        conn.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                jar: SimpleCookie = SimpleCookie()
                jar.load(value)
                for key, morsel in jar.items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value
        self.log.append((method, path, response.status, upstream_port(response)))
        return response

    def get(self, path: str) -> Any:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, str]) -> Any:
        data = {"csrfmiddlewaretoken": self.cookies["csrftoken"], **data}
        return self.request("POST", path, urlencode(data).encode())

    def post_file(self, path: str, data: dict[str, str], field_name: str, filename: str, content: bytes) -> Any:
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in {"csrfmiddlewaretoken": self.cookies["csrftoken"], **data}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; filename="{filename}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts), content_type=f"multipart/form-data; boundary={boundary}")


def upstream_port(response: Any) -> int:
    """The app server that answered: X-Upstream is the port (test proxy) or nginx's $upstream_addr."""
    return int((response.getheader("X-Upstream") or "0").rsplit(":", 1)[-1])


def wait_until_serving(port: int, process: subprocess.Popen[bytes], deadline: float, log: Path) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"gunicorn on {port} exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}"
            )
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": "https", "Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"gunicorn on {port} did not answer in time:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture
def cluster_database(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[dict[str, str], dict[str, int]]:
    """The shared database: a fresh PostgreSQL database on a PostgreSQL run, else a copy of a SQLite installation."""
    if postgres_server_url() is not None:
        template: PostgresInstallation = request.getfixturevalue("postgres_installation")
        return {"DATABASE_URL": request.getfixturevalue("scratch_postgres")("gw_twoapp", template.name)}, template.seeded
    installation: Installation = request.getfixturevalue("sqlite_installation")
    return {"SQLITE_PATH": str(installation.copy_to(tmp_path / "cluster.sqlite3"))}, installation.seeded


@pytest.fixture
def cluster(
    tmp_path: Path, redis_target: RedisTarget, s3: S3Target, cluster_database: tuple[dict[str, str], dict[str, int]]
) -> Iterator[dict[str, Any]]:
    database, seeded = cluster_database
    env = production_env(
        **database,
        **s3.env(),
        REDIS_URL=redis_target.url,
        CACHE_KEY_PREFIX=redis_target.prefix,
        MEDIA_ROOT=str(tmp_path / "local-media-must-stay-empty"),
        GUNICORN_WORKERS="1",
        GUNICORN_ACCESSLOG="-",
    )

    ports = [free_port(), free_port()]
    processes: list[subprocess.Popen[bytes]] = []
    logs = []
    try:
        for port in ports:
            log = open(tmp_path / f"gunicorn-{port}.log", "wb")  # noqa: SIM115  (closed below)
            logs.append(log)
            processes.append(
                subprocess.Popen(
                    [GUNICORN, "config.wsgi:application", "--config", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        deadline = time.monotonic() + 40
        for port, process in zip(ports, processes, strict=True):
            wait_until_serving(port, process, deadline, tmp_path / f"gunicorn-{port}.log")
        proxy = RoundRobinProxy(ports)
        try:
            yield {"ports": ports, "proxy": proxy, "seeded": seeded, "media": tmp_path / "local-media-must-stay-empty"}
        finally:
            proxy.close()
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        for log in logs:
            log.close()


def start_nginx(tmp_path: Path, ports: list[int]) -> tuple[subprocess.Popen[bytes], int]:
    """deploy/nginx/govworks.conf as shipped, with only addresses, paths and the certificate changed."""
    root = tmp_path / "nginx"
    (root / "tls").mkdir(parents=True)
    (root / "log").mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(root / "tls" / "govworks.key"), "-out", str(root / "tls" / "govworks.crt")],
        check=True, capture_output=True,
    )  # fmt: skip
    https, http_port = free_port(), free_port()
    site = (Path(ROOT) / "deploy" / "nginx" / "govworks.conf").read_text()
    site = site.replace("server 127.0.0.1:8001 ", f"server 127.0.0.1:{ports[0]} ")
    site = site.replace("server 127.0.0.1:8002 ", f"server 127.0.0.1:{ports[1]} ")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;").replace("listen [::]:443 ssl http2;", "")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};").replace("listen [::]:80;", "")
    site = site.replace("/etc/nginx/tls", str(root / "tls")).replace("/var/log/nginx", str(root / "log"))
    site = site.replace("/srv/govworks/var/staticfiles/", str(Path(ROOT) / "static") + "/")
    proxy_conf = (Path(ROOT) / "deploy" / "nginx" / "govworks-proxy.conf").read_text()
    (root / "proxy.conf").write_text(proxy_conf + "add_header X-Upstream $upstream_addr always;\n")
    site = site.replace("/etc/nginx/govworks-proxy.conf", str(root / "proxy.conf"))
    (root / "site.conf").write_text(site)
    user = "user root;\n" if hasattr(os, "geteuid") and os.geteuid() == 0 else ""
    (root / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {root}/nginx.pid;\nerror_log {root}/log/error.log;\n"
        f"events {{}}\nhttp {{ include /etc/nginx/mime.types; client_body_temp_path {root}/body; "
        f"proxy_temp_path {root}/proxy; include {root}/site.conf; }}\n"
    )
    process = subprocess.Popen(
        ["nginx", "-c", str(root / "nginx.conf"), "-p", str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"nginx exited: {process.stderr.read().decode() if process.stderr else ''}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", https), timeout=1):
            return process, https
        time.sleep(0.1)
    process.kill()
    raise AssertionError("nginx did not start")


FRONTS = [
    "test-proxy",
    pytest.param("nginx", marks=pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")),
]


@pytest.fixture(params=FRONTS)
def front(request: pytest.FixtureRequest, cluster: dict[str, Any], tmp_path: Path) -> Iterator[Browser]:
    """One address in front of the two app servers: the round-robin test proxy, or nginx with the shipped site."""
    if request.param == "test-proxy":
        yield Browser(cluster["proxy"].port)
        return
    process, port = start_nginx(tmp_path, cluster["ports"])
    try:
        yield Browser(port, tls=True)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_session_and_uploaded_file_work_across_two_app_servers(
    cluster: dict[str, Any], front: Browser, redis_target: RedisTarget, s3: S3Target
) -> None:
    a, b = cluster["ports"]
    project, proposal = cluster["seeded"]["project"], cluster["seeded"]["proposal"]
    browser = front
    served_by = upstream_port

    login = browser.get("/accounts/login/")
    assert login.status == 200 and "csrftoken" in browser.cookies
    signed_in = browser.post("/accounts/login/", {"username": "liming", "password": PASSWORD})
    assert signed_in.status == 302, signed_in.body.decode()[:3000]
    assert served_by(signed_in) != served_by(login)  # the CSRF cookie of one server is good on the other
    assert "sessionid" in browser.cookies
    session_key = browser.cookies["sessionid"]
    assert any(session_key in key for key in redis_target.stored_keys()), "the session is not in Redis"

    # the initial password must be changed first: the other server knows this session and says so
    home = browser.get("/")
    assert served_by(home) != served_by(signed_in)
    assert home.status == 302 and home.getheader("Location").endswith("/accounts/password/change/")
    form = browser.get("/accounts/password/change/")
    changed = browser.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status == 302, changed.body.decode()[:3000]
    assert served_by(changed) != served_by(form)

    pages = [browser.get("/"), browser.get(f"/projects/{project}/")]
    assert {served_by(p) for p in pages} == {a, b}
    assert all(p.status == 200 for p in pages), [(p.status, p.getheader("Location")) for p in pages]
    assert "机关食堂修缮" in pages[1].body.decode()

    body = b"%PDF-1.4\n% two app servers\n" + uuid.uuid4().bytes * 512
    browser.get(f"/projects/{project}/documents/upload/")
    uploaded = browser.post_file(
        f"/projects/{project}/documents/upload/", {"doc_type": str(proposal), "note": "两台服务器"}, "file", "建议书.pdf", body
    )
    assert uploaded.status == 302, uploaded.body.decode()[:3000]
    keys = s3.object_keys()
    assert len(keys) == 1 and keys[0].startswith("media/projects/"), keys
    assert s3.read(keys[0]) == body
    assert not Path(cluster["media"]).exists() or not any(Path(cluster["media"]).rglob("*.pdf"))

    workspace = browser.get(f"/projects/{project}/")
    match = re.search(r'href="(/projects/documents/\d+/file/)"', workspace.body.decode())
    assert match, "no download link on the documents tab"
    downloads = [browser.get(match.group(1)), browser.get(match.group(1))]
    assert {served_by(d) for d in downloads} == {a, b}
    assert all(d.status == 200 and d.body == body for d in downloads)

    if browser.tls:  # nginx serves static files itself, without asking an app server
        css = browser.get("/static/css/govworks.css")
        assert css.status == 200 and css.getheader("X-Upstream") is None
        assert css.body == (Path(ROOT) / "static" / "css" / "govworks.css").read_bytes()
        browser.log.pop()

    # signing out on one server ends the session on both: the old session cookie is refused by each
    session_key = browser.cookies["sessionid"]
    signed_out = browser.post("/accounts/logout/", {})
    assert signed_out.status == 302 and "sessionid" not in browser.cookies
    assert not any(session_key in key for key in redis_target.stored_keys())
    browser.cookies["sessionid"] = session_key
    after = [browser.get("/"), browser.get("/")]
    assert {served_by(r) for r in after} == {a, b}
    for response in after:
        assert response.status == 302 and "/accounts/login/" in response.getheader("Location")
    assert {port for *_, port in browser.log} == {a, b}
    assert urlsplit(browser.origin).port == browser.port != a
