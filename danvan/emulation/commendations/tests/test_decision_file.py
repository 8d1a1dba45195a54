"""The decision's file: a PDF through core.uploads on the form, served as a download; anything else refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.emulation.commendations.models import Commendation

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
DATA = {
    "kind": "collective",
    "unit": "STP",
    "form": "merit",
    "issuer_name": "UBND tỉnh",
    "decision_number": "3150/QĐ-UBND",
    "decision_date": "18/12/2025",
    "year": "2025",
    "reason": "Thành tích xuất sắc",
}


def test_a_pdf_is_kept_and_downloaded_and_a_text_file_is_refused(tree, personas, login):
    client = login(personas["mobilisation_officer"])
    refused = client.post(
        reverse("commendations:create"),
        {
            **DATA,
            "decision_file": SimpleUploadedFile(
                "qd.pdf", b"not a pdf at all", content_type="application/pdf"
            ),
        },
    )
    assert refused.status_code == 200 and not Commendation.objects.exists()
    assert 'class="error"' in refused.content.decode()
    response = client.post(
        reverse("commendations:create"),
        {**DATA, "decision_file": SimpleUploadedFile("qd.pdf", PDF, content_type="application/pdf")},
    )
    item = Commendation.objects.get()
    assert response.status_code == 302 and item.decision_file_name == "qd.pdf"
    download = login(personas["viewer"]).get(reverse("commendations:decision_file", args=[item.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert (
        login(personas["outsider"]).get(reverse("commendations:decision_file", args=[item.pk])).status_code
        == 404
    )
