"""Gunicorn settings of DânVận: `gunicorn -c deploy/gunicorn.conf.py danvan.wsgi`.

Every value can be set from the environment (the service's env file, deploy/danvan.env.example):

  GUNICORN_BIND           where to listen: "unix:/run/danvan/web.sock" (default; nginx on the same host)
                          or "0.0.0.0:8000" (nginx on another host: then set TRUSTED_PROXIES).
                          Under systemd socket activation (danvan-web.socket, the kit's way) the socket
                          comes from systemd and this is ignored: `systemctl edit danvan-web.socket`.
  WEB_CONCURRENCY         worker processes (default: 2 × CPU cores + 1, at most 8)
  GUNICORN_THREADS        threads per worker (default 2)
  GUNICORN_TIMEOUT        seconds a request may run before its worker is restarted (default 60; exports
                          and imports that take longer run as background jobs)
  GUNICORN_MAX_REQUESTS   a worker is replaced after this many requests, ±10 % jitter (default 1000; 0: never)
  GUNICORN_ACCESS_LOG     "-" (default: standard output, the journal under systemd), a path, or "" (none)
  FORWARDED_ALLOW_IPS     peers whose X-Forwarded-Proto gunicorn believes (gunicorn's own variable; default
                          127.0.0.1,::1; a Unix socket is always believed)
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from None


bind = [os.environ.get("GUNICORN_BIND", "").strip() or "unix:/run/danvan/web.sock"]
workers = _int("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8))
threads = _int("GUNICORN_THREADS", 2)
worker_class = "gthread"
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5  # nginx keeps connections to the upstream open (keepalive in deploy/nginx/danvan.conf)

# Replace workers now and then (a slow leak never grows for long); the jitter keeps them from all
# restarting at the same moment.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max(max_requests // 10, 0)

# Each request's line names the client as nginx saw it (X-Real-IP, X-Forwarded-For), since the peer
# of a Unix socket has no address.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = (
    '%({x-real-ip}i)s [%({x-forwarded-for}i)s] %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
capture_output = True

# A worker's heartbeat file in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# No runtime control socket (gunicornc): nothing to leave behind in a read-only home.
control_socket_disable = True
proc_name = "danvan-web"
