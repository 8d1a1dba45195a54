"""The password-setting e-mail checks its own permission (issue 12, item 4): only an administrator of
the user (a role manager where they hold a role, at a root for a user with none) or the installation
sends it; anyone else is refused by the service and no e-mail goes."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from conftest import make_user
from danvan.accounts.actors import System
from danvan.accounts.models import Role
from danvan.accounts.services import password_setting_email_send

pytestmark = pytest.mark.django_db

SYSTEM = System("tests")
SITE = "https://danvan.example.vn"


@pytest.fixture
def foreign(tree):
    """An administrator of every right, at SYT only: STP is not theirs."""
    return make_user("admin_syt", unit=tree.syt, role=Role.BLOC_ADMIN)


@pytest.fixture
def member(tree):
    return make_user("vien_chuc", unit=tree.stp_cb1, role=Role.REPORTER, email="vc@example.vn")


def test_the_password_setting_email_goes_only_for_an_administrator_of_the_user(
    tree, foreign, personas, member
):
    for refused in (foreign, personas[Role.UNIT_HEAD]):
        with pytest.raises(PermissionDenied):
            password_setting_email_send(user=member, site_url=SITE, by=refused)
    assert not mail.outbox

    password_setting_email_send(user=member, site_url=SITE, by=personas[Role.BLOC_ADMIN])
    password_setting_email_send(user=member, site_url=SITE, by=SYSTEM)
    assert [message.to for message in mail.outbox] == [["vc@example.vn"], ["vc@example.vn"]]


def test_a_user_without_a_role_is_emailed_only_for_an_administrator_of_the_tree(personas):
    loner = make_user("mot_minh", email="mm@example.vn")
    with pytest.raises(PermissionDenied):
        password_setting_email_send(user=loner, site_url=SITE, by=personas[Role.BLOC_ADMIN])  # STP's only
    password_setting_email_send(user=loner, site_url=SITE, by=personas["admin"])
    assert len(mail.outbox) == 1
