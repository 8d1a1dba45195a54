"""The deployment kit's topology on loopback, shared by deploy/smoke and bench/load/run.

A throwaway PostgreSQL cluster and Redis server of its own (so restarting them harms nothing else),
gunicorn app servers (deploy/gunicorn.conf.py) behind nginx (the kit's own site file, made to listen on
loopback ports with a self-signed certificate), a Celery worker and beat, DEBUG=False. `Stack.start()`
brings it all up with the demo loaded; `Stack.stop_all()` stops every process it started.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
import urllib3

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if found:
        return str(found[-1])
    path = shutil.which(name)
    if not path:
        sys.exit(f"deploy/smoke: {name} (PostgreSQL server) not found")
    return path


# --- the services --------------------------------------------------------------------------------------


class Stack:
    """Every process of the deployment, on loopback ports, under one throwaway directory."""

    def __init__(self, work: Path, app_servers: int = 2, workers: int = 2, threads: int = 4):
        self.work = work
        self.pg_port, self.redis_port, self.https_port = free_port(), free_port(), free_port()
        self.app_ports = [free_port() for _ in range(app_servers)]
        self.base = f"https://127.0.0.1:{self.https_port}"
        self.apps: dict[int, subprocess.Popen] = {}
        self.others: list[subprocess.Popen] = []
        self.as_postgres = os.geteuid() == 0
        self.env = dict(os.environ)
        for name in list(self.env):
            if name.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_")):
                del self.env[name]
        origin = f"https://127.0.0.1:{self.https_port}"
        self.env.update(
            DEBUG="False",
            SECRET_KEY=secrets.token_urlsafe(50),
            IDENTITY_KEYS=self._fernet_key(),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            CSRF_TRUSTED_ORIGINS=origin,
            SITE_URL=origin,
            DATA_DIR=str(work / "data"),
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{self.pg_port}/danvan",
            DATABASE_CONN_MAX_AGE="60",
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            TRUSTED_PROXY_COUNT="1",
            LOG_LEVEL="WARNING",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            OTP_REQUIRED_FOR_ADMINS="False",
            # The limits against abuse would refuse a load from one address: lifted (tested on their own).
            API_THROTTLE_ANON="1000000/m",
            API_THROTTLE_USER="1000000/m",
            API_THROTTLE_TOKEN="1000000/m",
            API_THROTTLE_PARSE="1000000/m",
            VOICE_PORTAL_SUBMIT_RATES="1000000/m",
            VOICE_PORTAL_ATTEMPT_RATE="1000000/m",
            VOICE_PORTAL_LOOKUP_RATE="1000000/m",
            VOICE_PORTAL_MIN_SECONDS="1",
            OPEN311_RATE="1000000/m",
            WEB_CONCURRENCY=str(workers),
            GUNICORN_THREADS=str(threads),
            GUNICORN_ACCESS_LOG="",
            GUNICORN_MAX_REQUESTS="0",
            PYTHONUNBUFFERED="1",
        )

    @staticmethod
    def _fernet_key() -> str:
        from cryptography.fernet import Fernet

        return Fernet.generate_key().decode()

    def start(self) -> None:
        """Everything, in order: databases, the demo and its periods, app servers, Celery, nginx (TLS)."""
        log(
            f"PostgreSQL on 127.0.0.1:{self.pg_port}, Redis on :{self.redis_port} (throwaway, in {self.work})"
        )
        self.pg_init()
        self.redis_start()
        log("collectstatic, migrate, demo, periods")
        self.danvan("collectstatic", "--noinput", "-v0")
        self.danvan("migrate", "--noinput", "-v0")
        self.danvan("demo")
        self.danvan("prepare-periods", "-v0")
        ports = " and ".join(f":{port}" for port in self.app_ports)
        log(
            f"app servers on {ports} ({self.env['WEB_CONCURRENCY']} workers × "
            f"{self.env['GUNICORN_THREADS']} threads each), nginx (TLS) on :{self.https_port}"
        )
        for index in range(len(self.app_ports)):
            self.app_start(index)
        self.celery_start()
        self.nginx_start()
        if requests.get(self.base + "/healthz", verify=False, timeout=10).status_code != 200:
            raise RuntimeError("nginx does not reach the application")

    # PostgreSQL, a cluster of its own
    def _pg(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [pg_bin("pg_ctl"), "-D", str(self.work / "pg"), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def pg_init(self) -> None:
        data, sock = self.work / "pg", self.work / "pgsock"
        data.mkdir()
        sock.mkdir()
        if self.as_postgres:
            shutil.chown(data, "postgres")
            shutil.chown(sock, "postgres")
            self.work.chmod(0o755)
        command = [
            pg_bin("initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        ]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nlisten_addresses = '127.0.0.1'\nport = {self.pg_port}\nunix_socket_directories = '{sock}'\n"
                "max_connections = 100\nshared_buffers = 128MB\nfsync = off\nsynchronous_commit = off\n"
            )
        self.pg_start()
        subprocess.run(
            [
                "psql",
                f"postgres://postgres@127.0.0.1:{self.pg_port}/postgres",
                "-qc",
                "CREATE DATABASE danvan",
            ],
            check=True,
            capture_output=True,
        )

    def pg_start(self) -> None:
        self._pg("-l", str(self.work / "pgsock" / "pg.log"), "-w", "start")

    def pg_stop(self) -> None:
        self._pg("-m", "fast", "-w", "stop", check=False)

    def pg_ready(self) -> bool:
        return (
            subprocess.run(
                ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.pg_port)], capture_output=True
            ).returncode
            == 0
        )

    # Redis, a server of its own
    def redis_start(self) -> None:
        subprocess.run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.work),
                "--pidfile",
                str(self.work / "redis.pid"),
                "--logfile",
                str(self.work / "redis.log"),
            ],
            check=True,
        )
        for _ in range(50):
            if self.redis_ping():
                return
            time.sleep(0.1)
        raise RuntimeError("Redis did not start")

    def redis_ping(self) -> bool:
        return (
            subprocess.run(
                ["redis-cli", "-p", str(self.redis_port), "ping"], capture_output=True, text=True
            ).stdout.strip()
            == "PONG"
        )

    def redis_stop(self) -> None:
        subprocess.run(["redis-cli", "-p", str(self.redis_port), "shutdown", "nosave"], capture_output=True)
        for _ in range(50):
            if not self.redis_ping():
                return
            time.sleep(0.1)

    # the application
    def danvan(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [str(BIN / "danvan"), *args], env=self.env, capture_output=True, text=True, **kwargs
        )
        if done.returncode:
            raise RuntimeError(f"danvan {args[0]} failed:\n{done.stderr[-3000:]}")
        return done

    def shell(self, code: str) -> object:
        """Run Python in the application (danvan shell); its last printed line, parsed as JSON."""
        out = self.danvan("shell", "-v0", "-c", code, timeout=900).stdout.strip().splitlines()
        return json.loads(out[-1])

    def _spawn(self, name: str, command: list[str], env: dict | None = None) -> subprocess.Popen:
        logfile = open(self.work / f"{name}.log", "ab")  # noqa: SIM115 (kept open for the process)
        return subprocess.Popen(
            command,
            env=env or self.env,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,  # its own process group: killed as one
        )

    def app_start(self, index: int) -> None:
        port = self.app_ports[index]
        env = dict(self.env, GUNICORN_BIND=f"127.0.0.1:{port}")
        self.apps[index] = self._spawn(
            f"app{index + 1}",
            [str(BIN / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py"), "danvan.wsgi"],
            env,
        )
        for _ in range(200):
            try:
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"app server {index + 1} did not start (see {self.work}/app{index + 1}.log)")

    def app_kill(self, index: int) -> None:
        os.killpg(self.apps[index].pid, signal.SIGKILL)
        self.apps[index].wait()

    def celery_start(self) -> None:
        celery = str(BIN / "celery")
        self.others.append(
            self._spawn(
                "worker",
                [
                    celery,
                    "--app",
                    "danvan",
                    "worker",
                    "--loglevel",
                    "WARNING",
                    "--concurrency",
                    "1",
                    "--without-mingle",
                ],
            )
        )
        self.others.append(
            self._spawn(
                "beat",
                [
                    celery,
                    "--app",
                    "danvan",
                    "beat",
                    "--loglevel",
                    "WARNING",
                    "--schedule",
                    str(self.work / "beat"),
                ],
            )
        )

    def nginx_start(self) -> None:
        conf = self.nginx_configure()
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        subprocess.run([nginx, "-t", "-q", "-p", str(self.work / "nginx"), "-c", str(conf)], check=True)
        subprocess.run([nginx, "-p", str(self.work / "nginx"), "-c", str(conf)], check=True)
        self.nginx = (nginx, conf)

    def nginx_configure(self) -> Path:
        """The kit's site (deploy/nginx/danvan.conf), its ports, paths and upstream made local: nginx.conf."""
        site = (ROOT / "deploy" / "nginx" / "danvan.conf").read_text()
        cert, key = self.work / "cert.pem", self.work / "key.pem"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            check=True,
            capture_output=True,
        )
        upstream = "\n".join(
            f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in self.app_ports
        )
        site = re.sub(
            r"upstream danvan_app \{.*?\n\}",
            f"upstream danvan_app {{\n{upstream}\n    keepalive 16;\n}}",
            site,
            flags=re.S,
        )
        site = re.sub(r"^\s*listen \[::\]:\d+.*$", "", site, flags=re.M)
        site = re.sub(r"listen 80;", f"listen 127.0.0.1:{free_port()};", site)
        site = re.sub(r"listen 443 ssl( http2)?;", f"listen 127.0.0.1:{self.https_port} ssl;", site)
        site = site.replace("/etc/letsencrypt/live/danvan.example.vn/fullchain.pem", str(cert))
        site = site.replace("/etc/letsencrypt/live/danvan.example.vn/privkey.pem", str(key))
        site = site.replace("/var/lib/danvan/static/", str(self.work / "data" / "static") + "/")
        site = site.replace(
            "/etc/nginx/danvan-proxy.conf", str(ROOT / "deploy" / "nginx" / "danvan-proxy.conf")
        )
        site = site.replace("server_name danvan.example.vn;", "server_name 127.0.0.1 localhost;")
        (self.work / "nginx").mkdir()
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf = self.work / "nginx" / "nginx.conf"
        conf.write_text(
            f"{user}worker_processes 1;\npid {self.work}/nginx/nginx.pid;\nerror_log {self.work}/nginx/error.log warn;\n"
            "events { worker_connections 4096; }\nhttp {\n"
            "  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
            f"  access_log {self.work}/nginx/access.log;\n"
            f"  client_body_temp_path {self.work}/nginx/body;\n  proxy_temp_path {self.work}/nginx/proxy;\n"
            f"  fastcgi_temp_path {self.work}/nginx/fastcgi;\n  uwsgi_temp_path {self.work}/nginx/uwsgi;\n"
            f"  scgi_temp_path {self.work}/nginx/scgi;\n"
            f"{site}\n}}\n"
        )
        return conf

    def stop_all(self) -> None:
        for process in [*self.apps.values(), *self.others]:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=15)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
        if getattr(self, "nginx", None):
            subprocess.run(
                [self.nginx[0], "-p", str(self.work / "nginx"), "-c", str(self.nginx[1]), "-s", "stop"],
                capture_output=True,
            )
        self.redis_stop()
        self.pg_stop()
