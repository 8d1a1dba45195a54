"""The API kit (`accounts.api`): a viewset's right, and a body's units looked up within the user's reach."""

import pytest
from rest_framework import exceptions, serializers
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from danvan.accounts.api import PermRequired, validated
from danvan.accounts.permissions import HoldsPerm
from danvan.accounts.policy import Perm
from danvan.core.api import CodeRelatedField
from danvan.orgs.models import Unit

pytestmark = pytest.mark.django_db


class _Input(serializers.Serializer):
    unit = CodeRelatedField(slug_field="code", queryset=Unit.objects.all())
    issuer = CodeRelatedField(slug_field="code", queryset=Unit.objects.all())


def _request(user, data: dict) -> Request:
    request = Request(APIRequestFactory().post("/", data, format="json"), parsers=[JSONParser()])
    request.user = user
    return request


def _refusal(user, data: dict, field: str, **options) -> str:
    with pytest.raises(exceptions.ValidationError) as caught:
        validated(_Input, _request(user, data), perm=Perm.EMULATION_RECORD, **options)
    return str(caught.value.detail[field][0])


def test_a_unit_out_of_reach_is_refused_like_an_unknown_one(tree, personas):
    officer = personas["mobilisation_officer"]  # at STP
    data = validated(
        _Input,
        _request(officer, {"unit": tree.stp.code, "issuer": tree.stp.code}),
        perm=Perm.EMULATION_RECORD,
    )
    assert data == {"unit": tree.stp, "issuer": tree.stp}
    outside = _refusal(officer, {"unit": tree.stp.code, "issuer": tree.syt.code}, "issuer")
    unknown = _refusal(officer, {"unit": tree.stp.code, "issuer": "KHONGCO"}, "issuer")
    assert outside == unknown.replace("KHONGCO", tree.syt.code)


def test_only_the_fields_named_are_narrowed(tree, personas):
    officer = personas["mobilisation_officer"]
    data = validated(
        _Input,
        _request(officer, {"unit": tree.stp.code, "issuer": tree.syt.code}),
        perm=Perm.EMULATION_RECORD,
        only=("unit",),
    )
    assert data["issuer"] == tree.syt
    assert _refusal(officer, {"unit": tree.syt.code, "issuer": tree.stp.code}, "unit", only=("unit",))


def test_other_references_pass_through_narrow(tree, personas):
    def nothing(qs):
        return qs.none()

    # Units are never handed to `narrow`: they are narrowed by the right alone.
    data = validated(
        _Input,
        _request(personas["admin"], {"unit": tree.syt.code, "issuer": tree.stp.code}),
        perm=Perm.EMULATION_RECORD,
        narrow=nothing,
    )
    assert data == {"unit": tree.syt, "issuer": tree.stp}


def test_a_viewset_names_its_right_through_holds_perm():
    class Viewset(PermRequired):
        required_perm = Perm.EMULATION_VIEW

    assert Viewset.permission_classes == [HoldsPerm] and PermRequired.required_perm is None


def test_a_viewset_that_names_no_right_fails_loudly_and_a_user_without_the_right_is_refused(personas, api):
    """PermRequired without `required_perm` would let every signed-in user through: it refuses to run. The
    workplace registers (staff conferences, disclosures) need ACTIVITY_VIEW somewhere (once forgotten)."""
    from django.core.exceptions import ImproperlyConfigured
    from rest_framework.viewsets import ViewSet

    class Forgetful(PermRequired, ViewSet):
        def list(self, request):
            raise AssertionError("reached")

    request = APIRequestFactory().get("/")
    with pytest.raises(ImproperlyConfigured):
        Forgetful.as_view({"get": "list"})(request)
    for path in ("/api/v1/activities/staff-conferences/", "/api/v1/activities/disclosures/"):
        assert api(personas["nobody"]).get(path).status_code == 403
        assert api(personas["viewer"]).get(path).status_code == 200
