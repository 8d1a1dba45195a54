"""The unit picker: its suggestions (orgs:unit_pick), the field resolving what was typed, the
no-JavaScript fallback in the move form, and the picker's index kept with the tree."""

import datetime

import pytest
from django import forms
from django.http import QueryDict
from django.urls import reverse

from conftest import make_unit
from danvan.accounts.actors import System
from danvan.accounts.policy import Perm
from danvan.orgs import selectors, services
from danvan.orgs.fields import UnitChoiceField, UnitsChoiceField, for_user
from danvan.orgs.models import Unit

pytestmark = pytest.mark.django_db
SYSTEM = System("tests")
PICK = reverse("orgs:unit_pick")


def suggestions(client, q, **params):
    response = client.get(PICK, {"q": q, **params})
    assert response.status_code == 200
    return response.json()


def codes(data):
    return [result["code"] for result in data["results"]]


# --- the suggestions ------------------------------------------------------------------------------


def test_it_suggests_units_by_a_part_of_their_name_without_diacritics(personas, login):
    data = suggestions(login(personas["admin"]), "chi bo")
    assert set(codes(data)) == {"STP-CB1", "STP-CB2", "SYT-CB1"}
    assert data["more"] is False


def test_each_suggestion_shows_the_units_place_in_the_tree(personas, login):
    data = suggestions(login(personas["admin"]), "CHI BỘ 1")
    assert data["results"] == [
        {
            "code": "STP-CB1",
            "name": "Chi bộ 1",
            "path_label": "Chi bộ 1 · Đảng ủy Sở Tư pháp · Đảng ủy Khối các cơ quan tỉnh",
        }
    ]


def test_a_word_inside_the_name_and_a_code_find_the_unit(personas, login):
    client = login(personas["admin"])
    assert codes(suggestions(client, "y te")) == ["SYT"]
    assert codes(suggestions(client, "stp-cb")) == ["STP-CB1", "STP-CB2"]


def test_a_unit_is_found_by_its_name_then_the_name_of_a_unit_above_it(personas, login):
    client = login(personas["admin"])
    assert codes(suggestions(client, "chi bo y te")) == ["SYT-CB1"]
    assert codes(suggestions(client, "chi bo 2 so tu phap")) == ["STP-CB2"]
    assert suggestions(login(personas["outsider"]), "chi bo tu phap")["results"] == []


def test_the_ancestors_short_names_are_used(tree, personas, login):
    services.unit_change(
        unit=tree.stp,
        name=tree.stp.name,
        short_name="ĐU STP",
        effective_on=datetime.date(2021, 1, 1),
        by=SYSTEM,
    )
    data = suggestions(login(personas["admin"]), "chi bo 2")
    assert data["results"][0]["path_label"] == "Chi bộ 2 · ĐU STP · Đảng ủy Khối các cơ quan tỉnh"


def test_a_user_of_another_unit_gets_none_of_ours(personas, login):
    data = suggestions(login(personas["outsider"]), "chi bo")
    assert codes(data) == ["SYT-CB1"]
    assert suggestions(login(personas["outsider"]), "tu phap")["results"] == []


def test_the_right_the_form_needs_narrows_the_suggestions(personas, login):
    reporter = login(personas["reporter"])
    assert set(codes(suggestions(reporter, "chi bo"))) == {"STP-CB1", "STP-CB2"}
    assert suggestions(reporter, "chi bo", perm=Perm.UNIT_RESTRUCTURE.value)["results"] == []
    assert reporter.get(PICK, {"q": "chi bo", "perm": "nothing"}).status_code == 400


def test_nothing_typed_offers_the_top_of_the_users_reach(personas, login):
    assert codes(suggestions(login(personas["reporter"]), ""))[:1] == ["STP"]
    assert codes(suggestions(login(personas["admin"]), ""))[:1] == ["DUK"]


def test_at_most_twenty_are_suggested_and_more_is_said(tree, personas, login):
    for number in range(3, 25):
        make_unit(tree.catalogue, f"STP-CB{number}", f"Chi bộ {number}", "cell", tree.stp)
    data = suggestions(login(personas["admin"]), "chi bo")
    assert len(data["results"]) == 20 and data["more"] is True


def test_a_renamed_unit_is_found_by_its_new_name_and_a_dissolved_one_not_at_all(tree, personas, login):
    client = login(personas["admin"])
    services.unit_change(
        unit=tree.stp_cb2, name="Chi bộ Hộ tịch", effective_on=datetime.date(2021, 1, 1), by=SYSTEM
    )
    services.unit_dissolve(unit=tree.syt_cb1, effective_on=datetime.date(2022, 1, 1), by=SYSTEM)
    assert codes(suggestions(client, "ho tich")) == ["STP-CB2"]
    assert codes(suggestions(client, "chi bo")) == ["STP-CB1", "STP-CB2"]


# --- the field ------------------------------------------------------------------------------------


class ParentForm(forms.Form):
    parent = UnitChoiceField(label="Đơn vị", perm=Perm.UNIT_VIEW)


def bound(user, **data):
    return for_user(ParentForm(data), user)


def test_the_field_takes_a_unique_name_typed_without_diacritics(personas):
    form = bound(personas["admin"], parent="dang uy so y te")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["parent"].code == "SYT"


def test_the_field_takes_a_code_in_any_case(personas):
    form = bound(personas["admin"], parent="stp-cb1")
    assert form.is_valid() and form.cleaned_data["parent"].code == "STP-CB1"


def test_an_ambiguous_name_is_refused_with_the_units_to_choose_from(personas):
    form = bound(personas["admin"], parent="chi bo")
    assert not form.is_valid()
    assert "Có nhiều đơn vị khớp với “chi bo”" in form.errors["parent"][0]
    html = str(form["parent"])
    assert 'type="radio" name="parent__pick" value="STP-CB1"' in html
    assert "Chi bộ 1 · Đảng ủy Sở Tư pháp · Đảng ủy Khối các cơ quan tỉnh" in html


def test_the_choice_made_in_the_list_is_taken(personas):
    form = bound(personas["admin"], parent="chi bo", parent__pick="STP-CB2", parent__label="chi bo")
    assert form.is_valid() and form.cleaned_data["parent"].code == "STP-CB2"


def test_text_typed_after_a_choice_wins_over_it(personas):
    form = bound(
        personas["admin"], parent="Đảng ủy Sở Y tế", parent__pick="STP-CB1", parent__label="Chi bộ 1"
    )
    assert form.is_valid() and form.cleaned_data["parent"].code == "SYT"


def test_an_unseen_code_is_refused_like_an_unknown_one(personas):
    unseen, unknown = (
        bound(personas["outsider"], parent="STP-CB1"),
        bound(personas["outsider"], parent="NOPE"),
    )
    assert not unseen.is_valid() and not unknown.is_valid()
    assert unseen.errors["parent"][0].replace("STP-CB1", "X") == unknown.errors["parent"][0].replace(
        "NOPE", "X"
    )
    assert "Chi bộ 1" not in str(unseen["parent"])


def test_a_chosen_unit_is_shown_by_its_name_and_place_not_its_code(tree, personas):
    form = for_user(ParentForm(initial={"parent": tree.stp_cb1}), personas["admin"])
    html = str(form["parent"])
    assert 'value="Chi bộ 1"' in html and "Chi bộ 1 · Đảng ủy Sở Tư pháp" in html
    assert 'name="parent__pick" value="STP-CB1"' in html
    assert f'data-unit-picker="{PICK}?perm=unit.view"' in html


# --- within a subtree (a programme's tree, a document's recipients) ---------------------------------


def test_the_suggestions_may_be_kept_within_a_units_subtree(personas, login):
    client = login(personas["admin"])
    assert set(codes(suggestions(client, "chi bo", within="STP"))) == {"STP-CB1", "STP-CB2"}
    assert codes(suggestions(client, "", within="STP"))[:1] == ["STP"]
    assert client.get(PICK, {"q": "chi bo", "within": "NOPE"}).status_code == 400


def test_within_a_subtree_a_unit_outside_it_is_refused_unless_kept(tree, personas):
    form = for_user(ParentForm({"parent": "SYT-CB1"}), personas["admin"], within=tree.stp)
    assert not form.is_valid() and "Không tìm thấy đơn vị nào khớp với “SYT-CB1”" in form.errors["parent"][0]
    assert f"{PICK}?perm=unit.view&amp;within=STP" in str(form["parent"])
    form = for_user(ParentForm({"parent": "chi bo"}), personas["admin"], within=tree.syt)
    assert form.is_valid() and form.cleaned_data["parent"] == tree.syt_cb1  # unique in SYT's tree
    kept = for_user(
        ParentForm({"parent": "SYT-CB1"}), personas["admin"], within=tree.stp, keep=[tree.syt_cb1]
    )
    assert kept.is_valid() and kept.cleaned_data["parent"] == tree.syt_cb1


# --- several units ----------------------------------------------------------------------------------


class UnitsForm(forms.Form):
    units = UnitsChoiceField(label="Đơn vị", required=False)


def many(user, data=None, **kwargs):
    form = UnitsForm(data, **kwargs)
    return for_user(form, user)


def post(**data):
    query = QueryDict(mutable=True)
    for name, value in data.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return query


def test_several_units_are_chips_of_their_names_each_posting_its_code(tree, personas):
    html = str(many(personas["admin"], initial={"units": [tree.stp_cb2, "STP-CB1"]})["units"])
    assert 'type="checkbox" name="units" value="STP-CB1" checked>' in html
    assert 'type="checkbox" name="units" value="STP-CB2" checked>' in html
    assert "Chi bộ 2</span> <small>Đảng ủy Sở Tư pháp · Đảng ủy Khối các cơ quan tỉnh</small>" in html
    assert 'name="units__lines"' in html and 'data-multiple="units"' in html


def test_units_are_added_by_code_and_by_line_and_removed_by_leaving_them_out(tree, personas):
    form = many(personas["admin"], post(units=["STP-CB2", "STP-CB1"], units__lines="y te\n\ny te"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["units"] == [tree.stp_cb1, tree.stp_cb2, tree.syt]
    form = many(personas["admin"], post(units=["STP-CB2"]))  # STP-CB1's chip removed
    assert form.is_valid() and form.cleaned_data["units"] == [tree.stp_cb2]
    empty = many(personas["admin"], post(units__lines=""))
    assert empty.is_valid() and empty.cleaned_data["units"] == []


def test_unknown_and_ambiguous_lines_are_named_and_the_rest_kept(tree, personas):
    form = many(personas["outsider"], post(units=["SYT-CB1"], units__lines="chi bo\nSTP-CB1\nkhông có"))
    assert not form.is_valid()
    errors = form.errors["units"]
    # a unit out of reach is unknown like one that does not exist (named as typed: its code is not shown)
    assert "Không tìm thấy đơn vị nào trong số các đơn vị bạn được chọn cho: “STP-CB1”, “không có”." in errors
    html = str(form["units"])
    assert 'value="SYT-CB1" checked>' in html and "không có</textarea>" in html
    admin = many(personas["admin"], post(units__lines="chi bo"))
    assert not admin.is_valid() and "Có nhiều đơn vị khớp với: “chi bo”." in admin.errors["units"][0]
    html = str(admin["units"])
    assert 'type="checkbox" name="units" value="STP-CB1">' in html and "chi bo</textarea>" not in html
    ticked = many(personas["admin"], post(units=["STP-CB2"], units__lines=""))
    assert ticked.is_valid() and ticked.cleaned_data["units"] == [tree.stp_cb2]


def test_a_required_several_units_field_asks_for_one(personas):
    form = UnitsForm(post(units__lines=""))
    form.fields["units"].required = True
    for_user(form, personas["admin"])
    assert not form.is_valid() and form.errors["units"] == ["Hãy chọn ít nhất một đơn vị."]


# --- the no-JavaScript fallback in a real form -----------------------------------------------------


def move(client, data):
    return client.post(reverse("orgs:unit_move", args=["SYT-CB1"]), {"effective_on": "01/05/2024", **data})


def parent_of(code):
    return selectors.version_of(Unit.objects.get(code=code)).parent.code


def test_moving_by_typed_name_without_javascript(personas, login):
    client = login(personas["admin"])
    response = move(client, {"parent_code": "chi bo"})
    page = response.content.decode()
    assert response.status_code == 200 and "Có nhiều đơn vị khớp với “chi bo”" in page
    assert 'name="parent_code__pick" value="STP-CB1"' in page
    response = move(
        client, {"parent_code": "chi bo", "parent_code__pick": "STP-CB1", "parent_code__label": "chi bo"}
    )
    assert response.status_code == 302
    assert parent_of("SYT-CB1") == "STP-CB1"


def test_a_unique_name_is_enough_to_move(personas, login):
    response = move(login(personas["admin"]), {"parent_code": "Đảng ủy Sở Tư pháp"})
    assert response.status_code == 302
    assert parent_of("SYT-CB1") == "STP"
