"""Import and export pages: upload, the outcome of an import, downloads scoped by role."""

import csv
import hashlib
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.audit.models import AuditEvent
from danvan.core import tables
from danvan.orgs.models import Unit, UnitImport

pytestmark = pytest.mark.django_db

HEADER = "code,name,parent_code,type,groups,valid_from,valid_to,predecessors"


def upload(client, *lines, name="don-vi.csv"):
    data = "\n".join([HEADER, *lines]).encode("utf-8")
    return client.post(reverse("orgs:import_upload"), {"file": SimpleUploadedFile(name, data)})


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


# --- import -----------------------------------------------------------------------------------


def test_the_upload_page_explains_the_format(personas, login):
    page = login(personas["admin"]).get(reverse("orgs:import_upload"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Nhập danh sách đơn vị" in text
    assert "code,name,parent_code,type,groups,valid_from,valid_to,predecessors" in text


def test_an_administrator_imports_a_file_and_sees_the_result(personas, login):
    client = login(personas["admin"])
    response = upload(
        client, "STP-CB3,Chi bộ 3,STP,cell,,2024-01-01,,", "STP-CB3-T1,Tổ đảng 1,STP-CB3,cell,,2024-02-01,,"
    )
    job = UnitImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:import_detail", args=[job.pk])
    assert job.status == UnitImport.Status.DONE
    assert job.created_by == personas["admin"]
    assert Unit.objects.filter(code__in=["STP-CB3", "STP-CB3-T1"]).count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "thành lập 2 đơn vị" in page
    assert AuditEvent.objects.filter(
        action="import", object_id=str(job.pk), actor_id=personas["admin"].id
    ).exists()


def test_a_wrong_file_saves_nothing_and_lists_the_errors_by_row_and_column(personas, login):
    client = login(personas["admin"])
    response = upload(
        client,
        "STP-CB3,Chi bộ 3,STP,cell,,2024-01-01,,",
        "STP-CB4,Chi bộ 4,KHONG-CO,cell,,2024-01-01,,",
        "STP-CB5,Chi bộ 5,STP,chi_bo,,2024-01-01,,",
    )
    job = UnitImport.objects.get()
    assert job.status == UnitImport.Status.FAILED
    assert not Unit.objects.filter(code__startswith="STP-CB3").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Bị từ chối" in page
    assert "2 lỗi — không có gì được lưu" in page
    assert "Không tìm thấy đơn vị cấp trên KHONG-CO" in page
    assert "<code>parent_code</code>" in page
    assert "Loại đơn vị “chi_bo” không có trong danh mục" in page


def test_an_xlsx_upload_is_imported(personas, login):
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER.split(","))
    workbook.active.append(["STP-CB3", "Chi bộ 3", "STP", "cell", None, "2024-01-01", None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = login(personas["admin"])
    client.post(reverse("orgs:import_upload"), {"file": SimpleUploadedFile("don-vi.xlsx", buffer.getvalue())})
    assert UnitImport.objects.get().status == UnitImport.Status.DONE
    assert Unit.objects.filter(code="STP-CB3").exists()


def test_only_csv_and_xlsx_files_are_accepted(personas, login):
    response = upload(login(personas["admin"]), "STP-CB3,Chi bộ 3,STP,cell,,2024-01-01,,", name="don-vi.pdf")
    assert response.status_code == 400
    assert "Hãy chọn tệp .csv hoặc .xlsx." in response.content.decode()
    assert not UnitImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused_at_upload(personas, login, settings):
    settings.UNIT_IMPORT_MAX_BYTES = 50
    response = upload(login(personas["admin"]), "STP-CB3,Chi bộ 3,STP,cell,,2024-01-01,,")
    assert response.status_code == 400
    assert "Tệp lớn hơn" in response.content.decode()
    assert not UnitImport.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "mobilisation_officer", "viewer", "nobody"])
def test_users_who_may_not_import_are_refused(personas, login, persona):
    client = login(personas[persona])
    assert client.get(reverse("orgs:import_upload")).status_code == 403
    assert upload(client, "STP-CB3,Chi bộ 3,STP,cell,,2024-01-01,,").status_code == 403
    assert not Unit.objects.filter(code="STP-CB3").exists()


def test_a_bloc_administrator_of_one_unit_cannot_import_under_another(personas, login):
    client = login(personas["bloc_admin"])  # bloc administrator at STP
    response = upload(
        client,
        "STP-CB3,Chi bộ 3,STP,cell,,2024-01-01,,",
        "SYT-CB2,Chi bộ 2,SYT,cell,,2024-01-01,,",
        "MOI,Đơn vị mới,,bloc,,2024-01-01,,",
    )
    job = UnitImport.objects.get()
    assert job.status == UnitImport.Status.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "parent_code"), (4, "parent_code")]
    assert (
        "Bạn không có quyền nhập đơn vị trực thuộc SYT." in client.get(response["Location"]).content.decode()
    )
    assert not Unit.objects.filter(code__in=["STP-CB3", "SYT-CB2", "MOI"]).exists()


def test_an_import_is_shown_only_to_its_uploader_and_bloc_administrators(personas, login):
    upload(login(personas["bloc_admin"]), "STP-CB3,Chi bộ 3,STP,cell,,2024-01-01,,")
    url = reverse("orgs:import_detail", args=[UnitImport.objects.get().pk])
    assert login(personas["bloc_admin"]).get(url).status_code == 200
    assert login(personas["admin"]).get(url).status_code == 200
    assert login(personas["outsider"]).get(url).status_code == 404
    assert login(personas["viewer"]).get(url).status_code == 404


def test_the_upload_page_lists_only_the_users_own_imports(personas, login):
    upload(login(personas["admin"]), "STP-CB3,Chi bộ 3,STP,cell,,2024-01-01,,", name="cua-admin.csv")
    upload(login(personas["bloc_admin"]), "STP-CB4,Chi bộ 4,STP,cell,,2024-01-01,,", name="cua-stp.csv")
    own = login(personas["bloc_admin"]).get(reverse("orgs:import_upload")).content.decode()
    assert "cua-stp.csv" in own and "cua-admin.csv" not in own
    every = login(personas["admin"]).get(reverse("orgs:import_upload")).content.decode()
    assert "cua-stp.csv" in every and "cua-admin.csv" in every


# --- export -----------------------------------------------------------------------------------


def test_the_export_page_offers_the_formats(personas, login):
    page = login(personas["viewer"]).get(reverse("orgs:export"))
    assert page.status_code == 200
    assert "Xuất danh sách đơn vị" in page.content.decode()


def test_a_viewer_exports_only_the_subtree_of_their_unit(personas, login):
    response = login(personas["viewer"]).get(reverse("orgs:export"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="don-vi.csv"'
    rows = rows_of(response)
    assert rows[0] == HEADER.split(",")
    assert sorted(row[0] for row in rows[1:]) == ["STP", "STP-CB1", "STP-CB2"]


def test_an_outsider_export_holds_no_unit_of_stp(personas, login):
    rows = rows_of(login(personas["outsider"]).get(reverse("orgs:export"), {"format": "csv"}))
    assert sorted(row[0] for row in rows[1:]) == ["SYT", "SYT-CB1"]


def test_the_bloc_administrator_exports_everything_as_xlsx(personas, login):
    response = login(personas["admin"]).get(reverse("orgs:export"), {"format": "xlsx", "as_of": "01/06/2024"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="don-vi-2024-06-01.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(codes) == ["DUK", "STP", "STP-CB1", "STP-CB2", "SYT", "SYT-CB1"]


def test_every_export_is_audited(personas, login):
    login(personas["viewer"]).get(reverse("orgs:export"), {"format": "csv"})
    event = AuditEvent.objects.get(action="export")
    assert event.actor_id == personas["viewer"].id
    assert event.changes == {"format": "csv", "as_of": None, "rows": 3}


def test_a_bad_export_request_gets_a_message_not_a_file(personas, login):
    response = login(personas["viewer"]).get(reverse("orgs:export"), {"format": "pdf", "as_of": "31/02/2024"})
    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.parametrize("persona", ["reporter", "case_handler", "nobody"])
def test_users_without_the_export_permission_are_refused(personas, login, persona):
    assert login(personas[persona]).get(reverse("orgs:export"), {"format": "csv"}).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(tree, client):
    for name in ("orgs:import_upload", "orgs:export"):
        assert client.get(reverse(name)).status_code == 302


# --- the background task ----------------------------------------------------------------------


def pending_job(user, text=HEADER + "\nSTP-CB3,Chi bộ 3,STP,cell,,2024-01-01,,\n"):
    from danvan.orgs.exchange import jobs

    upload = SimpleUploadedFile("don-vi.csv", text.encode("utf-8"))
    return jobs.import_job_create(checked=tables.check_upload(upload), by=user, language="vi")


def test_a_waiting_import_says_so_and_refreshes_itself(personas, login):
    job = pending_job(personas["admin"])
    page = login(personas["admin"]).get(reverse("orgs:import_detail", args=[job.pk])).content.decode()
    assert "Tệp đang được nhập" in page
    assert 'http-equiv="refresh"' in page


def test_the_task_runs_a_job_once(personas):
    from danvan.orgs.tasks import import_units

    job = pending_job(personas["admin"])
    assert import_units(job.pk) == UnitImport.Status.DONE
    assert import_units(job.pk) == "skipped"
    assert import_units(job.pk + 1000) == "skipped"
    assert Unit.objects.filter(code="STP-CB3").count() == 1


def test_an_unexpected_error_fails_the_job_without_saving_anything(personas, monkeypatch):
    from danvan.orgs.exchange import apply
    from danvan.orgs.tasks import import_units

    def broken_check(*args, **kwargs):
        raise RuntimeError("lỗi lập trình")

    monkeypatch.setattr(apply, "check", broken_check)
    job = pending_job(personas["admin"])
    assert import_units(job.pk) == UnitImport.Status.FAILED
    job.refresh_from_db()
    assert job.errors[0]["message"] == "Việc nhập dừng lại do một lỗi bất ngờ; không có gì được lưu."
    assert not Unit.objects.filter(code="STP-CB3").exists()


def test_a_job_whose_file_is_gone_fails_with_a_message(personas):
    from danvan.orgs.tasks import import_units

    job = pending_job(personas["admin"])
    job.file.storage.delete(job.file.name)
    import_units(job.pk)
    job.refresh_from_db()
    assert job.status == UnitImport.Status.FAILED
    assert job.errors == [{"row": None, "column": None, "message": "Không còn đọc được tệp đã tải lên."}]


def test_an_upload_is_stored_under_a_random_name_with_its_hash(personas):
    job = pending_job(personas["admin"], text=HEADER + "\n")
    assert job.original_name == "don-vi.csv"
    assert "don-vi" not in job.file.name and job.file.name.startswith("imports/units/")
    with job.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == job.sha256


def test_a_job_whose_file_changed_since_the_upload_fails_with_a_message(personas):
    from danvan.orgs.tasks import import_units

    job = pending_job(personas["admin"])
    with job.file.storage.open(job.file.name, "wb") as handle:
        handle.write((HEADER + "\nSTP-CB9,Chi bộ 9,STP,cell,,2024-01-01,,\n").encode())
    import_units(job.pk)
    job.refresh_from_db()
    assert job.status == UnitImport.Status.FAILED
    assert job.errors == [{"row": None, "column": None, "message": "Không còn đọc được tệp đã tải lên."}]
    assert not Unit.objects.filter(code__in=["STP-CB3", "STP-CB9"]).exists()


def test_a_long_error_list_is_cut_on_the_page(personas, login, monkeypatch):
    from danvan.orgs import views_exchange

    monkeypatch.setattr(views_exchange, "ERRORS_SHOWN", 1)
    client = login(personas["admin"])
    response = upload(client, "A,,STP,cell,,2024-01-01,,", "B,,STP,cell,,2024-01-01,,")
    page = client.get(response["Location"]).content.decode()
    assert "2 lỗi — không có gì được lưu" in page
    assert "Dưới đây là 1 lỗi đầu tiên." in page
