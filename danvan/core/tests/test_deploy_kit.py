"""The deployment kit (deploy/): production mode with and without collected static files, the gunicorn
configuration, the systemd units, the nginx site and the env file template."""

import configparser
import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from cryptography import x509
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
TEMPLATE = DEPLOY / "danvan.env.example"
MISSING = "Static files have not been collected"


def template_values() -> dict[str, str]:
    """The template's settings, read as systemd's EnvironmentFile= reads them (quotes removed)."""
    values = {}
    for line in TEMPLATE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip().strip('"')
    return values


def production_env(data_dir: Path) -> dict[str, str]:
    """The template, with its required secrets filled in, on SQLite and without Redis."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO")}
    env.update(template_values())
    env.update(
        SECRET_KEY=Fernet.generate_key().decode() * 2,
        IDENTITY_KEYS=Fernet.generate_key().decode(),
        DATA_DIR=str(data_dir),
        DATABASE_URL=f"sqlite:///{data_dir / 'db.sqlite3'}",
        REDIS_URL="",
    )
    return env


def run(*command, env, check=False):
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT, timeout=600)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


RENDER = """
import re
import danvan.wsgi
from django.test import Client
page = Client().get("/accounts/login/", HTTP_HOST="danvan.example.vn", secure=True)
assert page.status_code == 200, page.status_code
assert re.search(r'/static/core/danvan\\.[0-9a-f]{12}\\.css', page.content.decode()), "no hashed name"
print("rendered")
"""


def test_production_mode_refuses_to_start_without_static_files_and_serves_pages_with_them(tmp_path):
    env = production_env(tmp_path)
    gunicorn = (str(BIN / "gunicorn"), "--config", str(DEPLOY / "gunicorn.conf.py"), "--check-config")

    check = run(str(BIN / "danvan"), "check", env=env)
    assert check.returncode != 0 and MISSING in check.stderr and "danvan collectstatic" in check.stderr
    served = run(*gunicorn, "danvan.wsgi", env=env)  # the app server loads the application: refused
    assert served.returncode != 0 and MISSING in served.stderr

    run(str(BIN / "danvan"), "collectstatic", "--noinput", "-v0", env=env, check=True)
    run(str(BIN / "danvan"), "check", "--deploy", "--fail-level", "WARNING", env=env, check=True)
    run(*gunicorn, "danvan.wsgi", env=env, check=True)
    assert "rendered" in run(sys.executable, "-c", RENDER, env=env, check=True).stdout


def test_the_gunicorn_configuration_reads_the_environment(tmp_path):
    env = {**os.environ, "GUNICORN_BIND": "127.0.0.1:8123", "WEB_CONCURRENCY": "3", "GUNICORN_TIMEOUT": "45"}
    printed = run(str(BIN / "gunicorn"), "--config", str(DEPLOY / "gunicorn.conf.py"), "--print-config",
                  "danvan.wsgi", env=env, check=True).stdout  # fmt: skip
    settings = dict(re.findall(r"^(\w+)\s+= (.*)$", printed, re.MULTILINE))
    assert settings["bind"] == "['127.0.0.1:8123']" and settings["workers"] == "3"
    assert settings["timeout"] == "45" and settings["max_requests_jitter"] == "100"
    assert "x-forwarded-for" in settings["access_log_format"]
    default = run(str(BIN / "gunicorn"), "--config", str(DEPLOY / "gunicorn.conf.py"), "--print-config",
                  "danvan.wsgi", env={k: v for k, v in os.environ.items() if not k.startswith(("GUNICORN", "WEB_"))},
                  check=True).stdout  # fmt: skip
    assert "unix:/run/danvan/web.sock" in default


def units() -> dict[str, configparser.ConfigParser]:
    found = {}
    for path in sorted((DEPLOY / "systemd").iterdir()):
        parser = configparser.ConfigParser(interpolation=None, strict=False)  # ExecReload= may repeat
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read(path, encoding="utf-8")
        found[path.name] = parser
    return found


def test_the_systemd_units_run_web_worker_and_beat(tmp_path):
    found = units()
    assert {"danvan-web.socket", "danvan-web.service", "danvan-worker.service", "danvan-beat.service"} <= set(
        found
    )
    socket_path = found["danvan-web.socket"]["Socket"]["ListenStream"]
    assert socket_path == "/run/danvan/web.sock"
    assert f"unix:{socket_path}" in (DEPLOY / "nginx" / "danvan.conf").read_text()
    assert f"unix:{socket_path}" in (DEPLOY / "gunicorn.conf.py").read_text()
    for name in ("danvan-web.service", "danvan-worker.service", "danvan-beat.service"):
        service = found[name]["Service"]
        assert service["User"] == "danvan" and service["EnvironmentFile"] == "/etc/danvan/danvan.env"
        program = service["ExecStart"].split()[0]
        assert (BIN / Path(program).name).exists(), program  # gunicorn and celery are dependencies
        assert found[name]["Install"]["WantedBy"] == "multi-user.target"
    assert "danvan.wsgi" in found["danvan-web.service"]["Service"]["ExecStart"]
    # The kit collects the static files itself before gunicorn starts.
    assert "collectstatic --noinput" in found["danvan-web.service"]["Service"]["ExecStartPre"]
    assert " worker " in found["danvan-worker.service"]["Service"]["ExecStart"]
    assert " beat " in found["danvan-beat.service"]["Service"]["ExecStart"]
    analyze = shutil.which("systemd-analyze")
    if analyze:  # systemd's own reading, with the paths of this checkout
        for path in (DEPLOY / "systemd").iterdir():
            text = (
                path.read_text().replace("/opt/danvan/.venv/bin", str(BIN)).replace("/opt/danvan", str(ROOT))
            )
            (tmp_path / path.name).write_text(text)
        names = sorted(str(p) for p in tmp_path.iterdir())
        result = subprocess.run([analyze, "verify", "--man=no", *names], capture_output=True, text=True)
        assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "danvan.example.vn")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "fullchain.pem", directory / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def test_the_nginx_site_passes_nginx_t(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).exists(), "nginx is missing: run scripts/ensure-nginx (make test does)"
    cert, key = self_signed(tmp_path)
    site = (DEPLOY / "nginx" / "danvan.conf").read_text()
    assert "client_max_body_size 30m;" in site and "ssl_protocols TLSv1.2 TLSv1.3;" in site
    site = (
        site.replace("/etc/nginx/danvan-proxy.conf", str(DEPLOY / "nginx" / "danvan-proxy.conf"))
        .replace("/etc/letsencrypt/live/danvan.example.vn/fullchain.pem", str(cert))
        .replace("/etc/letsencrypt/live/danvan.example.vn/privkey.pem", str(key))
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n include /etc/nginx/mime.types;\n include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-q", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_the_env_template_names_every_setting_read_from_the_environment():
    read = set(
        re.findall(r'\benv(?:bool|int|list)?\("([A-Z0-9_]+)"', (ROOT / "danvan" / "settings.py").read_text())
    )
    read |= set(re.findall(r'environ\.get\("([A-Z0-9_]+)"', (DEPLOY / "gunicorn.conf.py").read_text()))
    assert {"SECRET_KEY", "TRUSTED_PROXY_COUNT", "GUNICORN_BIND"} <= read
    text = TEMPLATE.read_text(encoding="utf-8")
    named = set(re.findall(r"^#?([A-Z0-9_]+)=", text, re.MULTILINE))
    assert read - named == set()
    # Each setting has a comment above it (or above its group).
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if re.match(r"^#?[A-Z0-9_]+=", line):
            above = [earlier for earlier in lines[:number] if not re.match(r"^#?[A-Z0-9_]+=", earlier)]
            assert above and above[-1].startswith("# "), line


def _smoke_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("danvan_deploy_smoke", DEPLOY / "smoke.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_deploy_smoke_serves_the_kits_own_nginx_site_on_loopback(tmp_path):
    """deploy/smoke runs the kit's nginx site, made local (ports, certificate, paths, two app servers):
    what it writes passes `nginx -t` with the kit's proxy settings included."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).exists(), "nginx is missing: run scripts/ensure-nginx (make test does)"
    stack = _smoke_module().Stack(tmp_path)
    conf = stack.nginx_configure()
    text = conf.read_text()
    assert "server_name danvan.example.vn" not in text and "ssl_certificate /etc/letsencrypt" not in text
    for port in stack.app_ports:
        assert f"server 127.0.0.1:{port} " in text
    assert f"listen 127.0.0.1:{stack.https_port} ssl;" in text
    assert str(DEPLOY / "nginx" / "danvan-proxy.conf") in text
    result = subprocess.run(
        [nginx, "-t", "-q", "-p", str(tmp_path / "nginx"), "-c", str(conf)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_nginx_does_not_take_the_applications_503_for_a_dead_server():
    """The application answers 503 when the shared database is out of reach (every app server alike):
    counted as a failure, it left nginx with no live server during a PostgreSQL restart (502 to everyone,
    found by deploy/smoke). Only refused connections and timeouts pass a request on."""
    proxy = (DEPLOY / "nginx" / "danvan-proxy.conf").read_text()
    directive = re.search(r"^proxy_next_upstream (.+);$", proxy, re.M)
    assert directive is not None
    assert directive.group(1).split() == ["error", "timeout"]
