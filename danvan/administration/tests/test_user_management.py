"""Administrators manage the users and roles of their own subtrees, and nothing beyond them."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role, RoleAssignment, User
from danvan.audit.models import AuditEvent

LIST = reverse("administration:user_list")
CREATE = reverse("administration:user_create")
GOOD_PASSWORD = "Hoa-sen-no-tren-ho-2025"
NOT_ADMINS = [role for role in Role.values if role != Role.BLOC_ADMIN] + ["nobody", "outsider"]


def detail(user) -> str:
    return reverse("administration:user_detail", kwargs={"pk": user.pk})


def revoke(assignment) -> str:
    return reverse("administration:role_revoke", kwargs={"pk": assignment.pk})


def set_active(user) -> str:
    return reverse("administration:user_set_active", kwargs={"pk": user.pk})


@pytest.fixture
def stp_admin(personas):
    return personas[Role.BLOC_ADMIN]


@pytest.fixture
def syt_member(tree):
    return make_user("pham.yte", unit=tree.syt_cb1, role=Role.VIEWER, full_name="Phạm Y Tế")


def new_user_data(**overrides):
    data = {
        "username": "hoang.dung",
        "full_name": "Hoàng Thị Dung",
        "email": "dung@example.vn",
        "phone": "0912 345 678",
        "password_mode": "set",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "unit_code": "STP-CB1",
        "role": Role.REPORTER,
    }
    data.update(overrides)
    return data


# --- who may open these pages ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_people_without_role_management_are_refused_everywhere(personas, login, persona):
    client = login(personas[persona])
    target = personas[Role.VIEWER]
    assignment = RoleAssignment.objects.get(user=target)
    # The pages themselves (GET): 403 in the permission matrix (administration/tests/matrix.py).
    assert client.post(CREATE, new_user_data()).status_code == 403
    assert client.post(detail(target), {"grant-unit_code": "STP", "grant-role": "viewer"}).status_code == 403
    assert client.post(revoke(assignment)).status_code == 403
    assert client.post(set_active(target), {"active": "0"}).status_code == 403
    assert not User.objects.filter(username="hoang.dung").exists()
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client, personas):
    response = client.get(LIST)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_only_administrators_see_the_menu_entry(stp_admin, personas, login):
    page = reverse("accounts:password_change")
    assert "Người dùng và vai trò" in login(stp_admin).get(page).content.decode()
    assert "Người dùng và vai trò" not in login(personas[Role.VIEWER]).get(page).content.decode()


# --- the list ---------------------------------------------------------------------------------------


def test_the_bloc_admin_lists_the_users_of_their_subtree_with_their_roles(
    stp_admin, login, syt_member, personas
):
    page = login(stp_admin).get(LIST).content.decode()
    for role in Role.values:
        assert f"{role}_stp" in page
    assert "Người xem @ Đảng ủy Sở Tư pháp" in page
    assert "pham.yte" not in page and "officer_syt" not in page
    assert "admin_duk" not in page and "no_roles" not in page


def test_the_root_admin_also_sees_users_without_a_role(personas, login, syt_member):
    page = login(personas["admin"]).get(LIST).content.decode()
    assert "pham.yte" in page and "officer_syt" in page and "no_roles" in page


def test_search_ignores_diacritics_and_case(stp_admin, login, tree):
    make_user("u.hung", full_name="Đỗ Văn Hùng", unit=tree.stp_cb2, role=Role.VIEWER)
    make_user("u.lan", full_name="Trần Thị Lan", unit=tree.stp_cb2, role=Role.VIEWER)
    page = login(stp_admin).get(LIST, {"q": "do van HUNG"}).content.decode()
    assert "u.hung" in page and "u.lan" not in page


def test_search_never_reaches_beyond_the_subtree(stp_admin, login, syt_member):
    page = login(stp_admin).get(LIST, {"q": "pham y te"}).content.decode()
    assert "pham.yte" not in page and "Không tìm thấy người dùng nào" in page


def test_the_list_is_paginated(stp_admin, login, tree):
    for number in range(55):
        make_user(f"bulk{number:02d}", unit=tree.stp_cb1, role=Role.VIEWER)
    client = login(stp_admin)
    first = client.get(LIST)
    assert len(first.context["page"].object_list) == 50
    assert "Trang 1 / 2" in first.content.decode()
    assert len(client.get(LIST, {"page": 2}).context["page"].object_list) == 55 + len(Role.values) - 50


# --- creating users ----------------------------------------------------------------------------------


def test_the_bloc_admin_creates_a_user_with_a_first_role(stp_admin, login, tree):
    response = login(stp_admin).post(CREATE, new_user_data())
    user = User.objects.get(username="hoang.dung")
    assert response.status_code == 302 and response.url == detail(user)
    assert user.full_name == "Hoàng Thị Dung" and user.phone == "0912 345 678"
    assert user.check_password(GOOD_PASSWORD)
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.unit, assignment.role, assignment.granted_by) == (
        tree.stp_cb1,
        Role.REPORTER,
        stp_admin,
    )
    created = AuditEvent.objects.get(
        action=AuditEvent.Action.CREATE, model="accounts.user", object_id=str(user.pk)
    )
    assert created.actor_label == stp_admin.username and "password" not in created.changes


def test_weak_passwords_are_refused_in_vietnamese_and_nothing_is_saved(stp_admin, login):
    response = login(stp_admin).post(CREATE, new_user_data(password1="12345678", password2="12345678"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mật khẩu quá ngắn" in page and "Mật khẩu này quá phổ biến" in page
    assert not User.objects.filter(username="hoang.dung").exists()


def test_mismatched_passwords_are_refused(stp_admin, login):
    response = login(stp_admin).post(CREATE, new_user_data(password2=GOOD_PASSWORD + "x"))
    assert "Hai mật khẩu không khớp nhau" in response.content.decode()
    assert not User.objects.filter(username="hoang.dung").exists()


def test_a_taken_username_is_refused_whatever_its_case(stp_admin, login):
    response = login(stp_admin).post(CREATE, new_user_data(username="VIEWER_STP"))
    assert "Đã có người dùng với tên đăng nhập VIEWER_STP" in response.content.decode()
    assert User.objects.filter(username__iexact="viewer_stp").count() == 1


def test_the_user_can_get_a_password_setting_email_instead(stp_admin, login):
    data = new_user_data(password_mode="email", password1="", password2="")
    response = login(stp_admin).post(CREATE, data, follow=True)
    user = User.objects.get(username="hoang.dung")
    assert not user.has_usable_password()
    assert "liên kết đặt mật khẩu đã được gửi tới dung@example.vn" in response.content.decode()
    message = mail.outbox[0]
    assert message.to == ["dung@example.vn"] and "hãy đặt mật khẩu" in message.subject
    assert "Quản trị viên đã tạo cho bạn một tài khoản DânVận" in message.body

    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body).group(1)
    client = Client()
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}
    )
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)


def test_the_email_option_needs_an_email_address(stp_admin, login):
    data = new_user_data(password_mode="email", email="", password1="", password2="")
    response = login(stp_admin).post(CREATE, data)
    assert "Cần có địa chỉ email" in response.content.decode()
    assert not User.objects.filter(username="hoang.dung").exists() and mail.outbox == []


def test_an_unknown_unit_code_is_named_in_the_error(stp_admin, login):
    response = login(stp_admin).post(CREATE, new_user_data(unit_code="KHONG-CO"))
    assert "Không tìm thấy đơn vị nào khớp với “KHONG-CO”" in response.content.decode()
    assert not User.objects.filter(username="hoang.dung").exists()


def test_the_bloc_admin_cannot_create_a_user_at_another_unit(stp_admin, login):
    # A unit the administrator cannot see reads like one that does not exist.
    response = login(stp_admin).post(CREATE, new_user_data(unit_code="SYT"))
    assert "Không tìm thấy đơn vị nào khớp với “SYT”" in response.content.decode()
    assert not User.objects.filter(username="hoang.dung").exists()


def test_a_first_role_is_required_unless_you_administer_a_root(stp_admin, personas, login):
    response = login(stp_admin).post(CREATE, new_user_data(unit_code="", role=""))
    assert response.status_code == 200 and not User.objects.filter(username="hoang.dung").exists()
    response = login(personas["admin"]).post(CREATE, new_user_data(unit_code="", role=""))
    assert (
        response.status_code == 302
        and not RoleAssignment.objects.filter(user__username="hoang.dung").exists()
    )


def test_a_unit_without_a_role_is_refused(personas, login):
    response = login(personas["admin"]).post(CREATE, new_user_data(role=""))
    assert "Hãy chọn cả đơn vị và vai trò" in response.content.decode()
    assert not User.objects.filter(username="hoang.dung").exists()


# --- one user's page: profile, roles, grant, revoke, active flag --------------------------------------


def test_the_detail_page_shows_profile_and_roles_with_revoke_buttons(stp_admin, personas, login):
    viewer = personas[Role.VIEWER]
    assignment = RoleAssignment.objects.get(user=viewer)
    page = login(stp_admin).get(detail(viewer)).content.decode()
    assert "viewer_stp" in page and "Người xem" in page and "Đảng ủy Sở Tư pháp" in page
    assert revoke(assignment) in page and "Thu hồi" in page


def test_users_outside_the_subtree_are_not_found(stp_admin, personas, login, syt_member):
    client = login(stp_admin)
    assert client.get(detail(syt_member)).status_code == 404
    assert client.get(detail(personas["outsider"])).status_code == 404
    assert client.get(detail(personas["nobody"])).status_code == 404
    assert client.post(set_active(syt_member), {"active": "0"}).status_code == 404
    syt_member.refresh_from_db()
    assert syt_member.is_active


def test_the_bloc_admin_grants_a_role_in_the_subtree_and_it_is_audited(stp_admin, personas, login, tree):
    viewer = personas[Role.VIEWER]
    response = login(stp_admin).post(
        detail(viewer), {"grant-unit_code": "STP-CB2", "grant-role": Role.UNIT_HEAD}
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=viewer, unit=tree.stp_cb2, role=Role.UNIT_HEAD).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_GRANT)
    assert event.changes["role"] == [None, Role.UNIT_HEAD] and event.changes["user"] == "viewer_stp"
    assert event.unit_code == "STP-CB2" and event.actor_label == stp_admin.username


def test_granting_at_an_unknown_code_says_so_in_vietnamese(stp_admin, personas, login):
    viewer = personas[Role.VIEWER]
    response = login(stp_admin).post(detail(viewer), {"grant-unit_code": "XYZ", "grant-role": Role.VIEWER})
    assert "Không tìm thấy đơn vị nào khớp với “XYZ”" in response.content.decode()
    assert RoleAssignment.objects.filter(user=viewer).count() == 1


def test_the_stp_bloc_admin_cannot_grant_at_syt(stp_admin, personas, login):
    viewer = personas[Role.VIEWER]
    response = login(stp_admin).post(
        detail(viewer), {"grant-unit_code": "SYT-CB1", "grant-role": Role.VIEWER}
    )
    assert "Không tìm thấy đơn vị nào khớp với “SYT-CB1”" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=viewer, unit__code="SYT-CB1").exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_GRANT).exists()


def test_a_unit_the_admin_only_views_is_not_one_to_grant_at(stp_admin, personas, login, tree):
    RoleAssignment.objects.create(user=stp_admin, unit=tree.syt, role=Role.VIEWER)
    viewer = personas[Role.VIEWER]
    response = login(stp_admin).post(
        detail(viewer), {"grant-unit_code": "SYT-CB1", "grant-role": Role.VIEWER}
    )
    # The unit picker offers only the units where roles may be granted: the others read as unknown.
    assert "Không tìm thấy đơn vị nào khớp với “SYT-CB1”" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=viewer, unit__code="SYT-CB1").exists()


def test_granting_a_role_twice_is_refused(stp_admin, personas, login):
    viewer = personas[Role.VIEWER]
    response = login(stp_admin).post(detail(viewer), {"grant-unit_code": "STP", "grant-role": Role.VIEWER})
    assert "viewer_stp đã có vai trò này tại STP" in response.content.decode()
    assert RoleAssignment.objects.filter(user=viewer).count() == 1


def test_the_bloc_admin_revokes_a_role_and_it_is_audited(stp_admin, personas, login, tree):
    viewer = personas[Role.VIEWER]
    extra = RoleAssignment.objects.create(user=viewer, unit=tree.stp_cb1, role=Role.REPORTER)
    response = login(stp_admin).post(revoke(extra))
    assert response.status_code == 302 and response.url == detail(viewer)
    assert not RoleAssignment.objects.filter(pk=extra.pk).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_REVOKE)
    assert event.changes["role"] == [Role.REPORTER, None] and event.unit_code == "STP-CB1"


def test_revoking_the_last_role_in_the_subtree_returns_to_the_list(stp_admin, personas, login):
    only = RoleAssignment.objects.get(user=personas[Role.VIEWER])
    response = login(stp_admin).post(revoke(only))
    assert response.url == LIST


def test_revoke_is_a_post(stp_admin, personas, login):
    assignment = RoleAssignment.objects.get(user=personas[Role.VIEWER])
    response = login(stp_admin).get(revoke(assignment))  # a GET is sent to the users' list, not a 405
    assert response.status_code == 302 and response.url == LIST
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_the_stp_bloc_admin_cannot_revoke_at_syt(stp_admin, personas, login, tree):
    viewer = personas[Role.VIEWER]
    foreign = RoleAssignment.objects.create(user=viewer, unit=tree.syt, role=Role.VIEWER)
    outsider_role = RoleAssignment.objects.get(user=personas["outsider"])
    client = login(stp_admin)
    assert client.post(revoke(foreign)).status_code == 404
    assert client.post(revoke(outsider_role)).status_code == 404
    assert RoleAssignment.objects.filter(pk__in=[foreign.pk, outsider_role.pk]).count() == 2


def test_roles_elsewhere_are_counted_but_not_shown(stp_admin, personas, login, tree):
    viewer = personas[Role.VIEWER]
    RoleAssignment.objects.create(user=viewer, unit=tree.syt, role=Role.REPORTER)
    page = login(stp_admin).get(detail(viewer)).content.decode()
    assert "Đảng ủy Sở Y tế" not in page
    assert "còn có 1 vai trò tại các đơn vị ngoài phạm vi" in page


def test_the_bloc_admin_deactivates_and_reactivates_an_account(stp_admin, personas, login):
    viewer = personas[Role.VIEWER]
    client = login(stp_admin)
    response = client.post(set_active(viewer), {"active": "0"}, follow=True)
    viewer.refresh_from_db()
    assert not viewer.is_active and "không thể đăng nhập" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, model="accounts.user")
    assert event.changes == {"is_active": [True, False]}
    client.post(set_active(viewer), {"active": "1"})
    viewer.refresh_from_db()
    assert viewer.is_active


def test_an_account_with_roles_elsewhere_cannot_be_deactivated_by_a_unit_admin(
    stp_admin, personas, login, tree
):
    viewer = personas[Role.VIEWER]
    RoleAssignment.objects.create(user=viewer, unit=tree.syt, role=Role.REPORTER)
    client = login(stp_admin)
    assert "Khóa tài khoản" not in client.get(detail(viewer)).content.decode()
    assert client.post(set_active(viewer), {"active": "0"}).status_code == 403
    viewer.refresh_from_db()
    assert viewer.is_active


def test_nobody_deactivates_their_own_account(personas, login):
    admin = personas["admin"]
    response = login(admin).post(set_active(admin), {"active": "0"}, follow=True)
    admin.refresh_from_db()
    assert admin.is_active and "Bạn không thể tự khóa tài khoản của mình" in response.content.decode()


def test_a_malformed_active_flag_changes_nothing(stp_admin, personas, login):
    viewer = personas[Role.VIEWER]
    response = login(stp_admin).post(set_active(viewer), {"active": "maybe"}, follow=True)
    viewer.refresh_from_db()
    assert viewer.is_active and "Yêu cầu không hợp lệ" in response.content.decode()


def test_superusers_manage_everyone(login, personas, syt_member):
    root = User.objects.create_superuser("root", "root@example.vn", GOOD_PASSWORD)
    client = login(root)
    assert "pham.yte" in client.get(LIST).content.decode()
    response = client.post(detail(syt_member), {"grant-unit_code": "STP", "grant-role": Role.VIEWER})
    assert response.status_code == 302


def test_the_create_form_states_the_password_rules_in_vietnamese(stp_admin, login):
    page = login(stp_admin).get(CREATE).content.decode()
    assert "Mật khẩu của bạn phải chứa ít nhất 10 ký tự" in page


def test_a_control_character_in_a_name_or_a_phone_is_refused_and_no_user_is_made(db):
    from django.core.exceptions import ValidationError

    from danvan.administration import services

    with pytest.raises(ValidationError) as refused:
        services.user_create(
            username="nguoi_moi",
            full_name="Nguyễn\x07 Văn Mới",
            email="moi@example.vn",
            phone="0912\x1b345",
            password=None,
            by=System("tests"),
        )
    not_allowed = ["Nội dung chứa ký tự không được phép."]
    assert refused.value.message_dict["full_name"] == not_allowed
    assert refused.value.message_dict["phone"] == not_allowed
    assert not User.objects.filter(username="nguoi_moi").exists()
