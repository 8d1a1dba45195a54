import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_it_reports_database_and_cache_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok" and body["cache"] == "ok"


def test_it_reports_an_unreachable_cache(client):
    # A real Redis client pointed at a port where nothing listens.
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    with override_settings(CACHES=unreachable):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["cache"].startswith("error")


@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["example.org"], DEBUG=False)
def test_the_load_balancers_probe_gets_no_https_redirect_and_no_host_check(client):
    # The probe comes over plain HTTP to the app server's own address.
    response = client.get("/healthz", HTTP_HOST="10.0.0.5")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    # Every other page still redirects to HTTPS, and refuses an unknown host.
    assert client.get("/", HTTP_HOST="example.org").status_code == 301
    assert client.get("/", HTTP_HOST="10.0.0.5", secure=True).status_code == 400
