"""The deployment files of deploy/: what can be checked without a container runtime or systemd as init."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT

DEPLOY = Path(ROOT) / "deploy"


def test_compose_file_describes_the_city_profile() -> None:
    import yaml

    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "minio", "app1", "app2", "worker", "nginx"} <= set(services)
    for app in ("app1", "app2", "worker"):
        env = services[app]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert env["REDIS_URL"].startswith("redis://redis:") and env["S3_ENDPOINT_URL"] == "http://minio:9000"
    nginx_conf = (DEPLOY / "nginx" / "compose.conf").read_text()
    assert "server app1:8000" in nginx_conf and "server app2:8000" in nginx_conf


def test_systemd_units_start_what_exists() -> None:
    units = {p.name: p.read_text() for p in (DEPLOY / "systemd").iterdir()}
    assert {"govworks-web@.service", "govworks-worker@.service", "govworks-periodic.timer", "govworks-backup.timer"} <= set(units)
    assert "GUNICORN_BIND=127.0.0.1:%i" in units["govworks-web@.service"]
    assert "deploy/backup.sh" in units["govworks-backup.service"]
    assert "deploy/restore-drill.sh" in units["govworks-restore-drill.service"]
    for script in ("backup.sh", "restore.sh", "restore-drill.sh"):
        assert (DEPLOY / script).stat().st_mode & 0o111, f"deploy/{script} is not executable"


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed (apt-get install nginx-light)")
def test_nginx_site_is_valid(tmp_path: Path) -> None:
    """nginx -t on deploy/nginx/govworks.conf, with the paths moved under tmp_path and a throwaway certificate."""
    tls = tmp_path / "tls"
    tls.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=govworks.test",
         "-keyout", str(tls / "govworks.key"), "-out", str(tls / "govworks.crt")],
        check=True, capture_output=True,
    )  # fmt: skip
    (tmp_path / "log").mkdir()
    for name in ("govworks.conf", "compose.conf"):
        site = (DEPLOY / "nginx" / name).read_text()
        site = site.replace("/etc/nginx/tls", str(tls)).replace("/var/log/nginx", str(tmp_path / "log"))
        site = site.replace("/etc/nginx/govworks-proxy.conf", str(DEPLOY / "nginx" / "govworks-proxy.conf"))
        site = site.replace("app1:8000", "127.0.0.1:8001").replace("app2:8000", "127.0.0.1:8002")
        (tmp_path / "site.conf").write_text(site)
        (tmp_path / "nginx.conf").write_text(
            f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/log/error.log;\nevents {{}}\n"
            f"http {{ include /etc/nginx/mime.types; include {tmp_path}/site.conf; }}\n"
        )
        result = subprocess.run(
            ["nginx", "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, f"{name}: {result.stderr}"
