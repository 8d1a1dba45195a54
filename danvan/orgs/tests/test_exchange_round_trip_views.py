"""The round trip through the pages: the tree links to import/export, an export uploaded again
changes nothing and the outcome page counts created, changed and unchanged units."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.orgs.models import RestructuringEvent, UnitImport, UnitVersion

pytestmark = pytest.mark.django_db


def test_the_tree_links_to_import_and_export_for_those_allowed(personas, login):
    assert (
        reverse("orgs:import_upload") in login(personas["admin"]).get(reverse("orgs:tree")).content.decode()
    )
    viewer_page = login(personas["viewer"]).get(reverse("orgs:tree")).content.decode()
    assert "Nhập/Xuất đơn vị" in viewer_page and reverse("orgs:export") in viewer_page
    assert "Nhập/Xuất đơn vị" not in login(personas["reporter"]).get(reverse("orgs:tree")).content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_uploaded_again_changes_nothing_and_says_so(personas, login, fmt):
    client = login(personas["admin"])
    exported = client.get(reverse("orgs:export"), {"format": fmt}).getvalue()
    versions, events = UnitVersion.objects.count(), RestructuringEvent.objects.count()
    response = client.post(
        reverse("orgs:import_upload"), {"file": SimpleUploadedFile(f"don-vi.{fmt}", exported)}
    )
    job = UnitImport.objects.get()
    assert job.status == UnitImport.Status.DONE, job.errors
    assert (UnitVersion.objects.count(), RestructuringEvent.objects.count()) == (versions, events)
    page = client.get(response["Location"]).content.decode()
    assert "0 đơn vị thay đổi, 6 đơn vị không đổi" in page
    assert "Đơn vị không đổi" in page
