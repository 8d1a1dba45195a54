import pytest
from django.urls import reverse

from danvan.core.translations import duplicates, missing, used_msgids


def test_every_interface_string_has_a_vietnamese_translation():
    gaps = missing()
    assert gaps == {}, "Run `danvan check-translations --stubs` and translate: " + ", ".join(
        sorted(gaps)[:20]
    )


def test_no_message_is_translated_twice():
    assert duplicates() == [], "Keep one translation of each in django.po"


def test_the_checker_sees_python_and_template_strings():
    used = used_msgids()
    assert "Mass mobilisation work platform" in used  # core/base.html
    assert "Bloc administrator" in used  # accounts/models.py
    # Strings with ") " inside, and blocktranslate with variables, are seen too.
    assert "CSV (UTF-8) or XLSX (first sheet), with a header row naming these columns:" in used
    assert "%(count)s result(s) as of %(day)s" in used


@pytest.mark.django_db
def test_pages_are_vietnamese_by_default_and_english_on_request(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Nền tảng quản lý công tác dân vận" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Mass mobilisation work platform" in page


@pytest.mark.django_db
def test_signed_in_the_language_is_chosen_in_the_user_menu_so_the_bar_keeps_one_row(client, personas, login):
    import re

    page = client.get(reverse("accounts:login")).content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    assert header.count('name="language"') == 1  # anonymous: in the bar itself
    page = login(personas["mobilisation_officer"]).get("/").content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    assert header.count('name="language"') == 1
    menu = re.search(r'<details class="navgroup userbox">.*?</details>', header, re.S)
    assert menu and 'name="language"' in menu.group(0)


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese_until_the_user_chooses(client):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Nền tảng quản lý công tác dân vận" in page
    client.cookies["django_language"] = "xx"  # an unknown choice falls back to Vietnamese too
    assert "Nền tảng quản lý" in client.get(reverse("accounts:login")).content.decode()


def test_compile_translations_writes_the_binary_catalogue(tmp_path, settings):
    import shutil

    from django.core.management import call_command

    from danvan.core.translations import catalogue_path

    source = catalogue_path()
    settings.BASE_DIR = tmp_path
    target = tmp_path / "locale" / "vi" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(source, target)
    call_command("compile-translations")
    assert (target / "django.mo").stat().st_size > 1000


def test_check_translations_names_an_untranslated_string(tmp_path, settings, capsys):
    from django.core.management import CommandError, call_command

    settings.BASE_DIR = tmp_path
    (tmp_path / "locale" / "vi" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "locale" / "vi" / "LC_MESSAGES" / "django.po").write_text('msgid ""\nmsgstr ""\n')
    (tmp_path / "module.py").write_text(
        'from django.utils.translation import gettext as _\n_("Not yet translated")\n'
    )
    with pytest.raises(CommandError, match="1 chuỗi"):
        call_command("check-translations")
    call_command("check-translations", "--stubs")
    assert 'msgid "Not yet translated"' in capsys.readouterr().out
