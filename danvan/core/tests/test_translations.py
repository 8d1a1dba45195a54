import pytest
from django.urls import reverse

from danvan.core.translations import missing, used_msgids


def test_every_interface_string_has_a_vietnamese_translation():
    gaps = missing()
    assert gaps == {}, "Run `danvan check-translations --stubs` and translate: " + ", ".join(
        sorted(gaps)[:20]
    )


def test_the_checker_sees_python_and_template_strings():
    used = used_msgids()
    assert "Mass mobilisation work platform" in used  # core/base.html
    assert "Bloc administrator" in used  # accounts/models.py


@pytest.mark.django_db
def test_pages_are_vietnamese_by_default_and_english_on_request(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Nền tảng quản lý công tác dân vận" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Mass mobilisation work platform" in page


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese_until_the_user_chooses(client):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Nền tảng quản lý công tác dân vận" in page
    client.cookies["django_language"] = "xx"  # an unknown choice falls back to Vietnamese too
    assert "Nền tảng quản lý" in client.get(reverse("accounts:login")).content.decode()
