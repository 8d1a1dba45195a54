"""Writes of the review reports kept in the system: save a version, finalise, start a correction.

Each function checks `by` through the policy first (REPORT_ENTER at the unit to write; finalising also
DOCUMENT_MANAGE, since the report enters the unit's document register), then the input, raising
ValidationError (field → Vietnamese message) before anything is saved, all in one transaction that
holds the unit's row (one write of a unit's reports at a time). The records are audited by their
registration (apps.py).

- `version_save`: the parts the official writes and the header details as a new numbered version of
  the unit's open draft for the period (the draft is made by the first save);
- `draft_finalise`: the last version becomes the report: dated today, numbered as the unit's next
  outgoing document of the year ("12-BC/ĐU"), its DOCX, XLSX annex and HTML kept as they stand (later
  changes of the data do not change it), and registered as an outgoing document with the DOCX as its
  original; the draft is closed;
- `draft_correct`: a new draft of a finalised report, starting from its last version's texts.
"""

import datetime
import io
import re
from dataclasses import asdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user
from danvan.accounts.policy import Perm
from danvan.core import uploads
from danvan.core.text import clean_text
from danvan.directives import files as directive_files
from danvan.directives import services as directive_services
from danvan.directives.services import DocumentSpec
from danvan.orgs.models import Unit

from . import annex, content, document, rendering, selectors
from .models import ReviewDraft, ReviewVersion, State
from .narrative import Narrative, build, file_name, narrative_of, period_checked

TEXT_MAX = 20_000  # characters of a written part (limitations, tasks ahead)
LINE_MAX = 200  # characters of a header detail (place, names, titles), as the command's options
SYMBOL_MAX = 20


def _checked(narrative: Narrative) -> Narrative:
    errors: dict = {}
    values = {
        name: clean_text(getattr(narrative, name), name, errors, limit=TEXT_MAX, multiline=True)
        for name in ("limitations", "tasks")
    }
    for name in ("place", "superior", "on_behalf", "signer_title", "signer"):
        values[name] = clean_text(getattr(narrative, name), name, errors, limit=LINE_MAX)
    values["layout"] = narrative.layout or content.PARTY
    if values["layout"] not in content.LAYOUTS:
        errors["layout"] = _("Choose the document form: a party document or an administrative one.")
    values["symbol"] = clean_text(narrative.symbol, "symbol", errors, limit=SYMBOL_MAX)
    if "symbol" not in errors and any(ch in values["symbol"] for ch in "-/ "):
        errors["symbol"] = _("Write only the abbreviation of the issuing body, as “ĐU”.")
    if errors:
        raise ValidationError(errors)
    return Narrative(**values)


def _lock(unit: Unit) -> None:
    Unit.objects.select_for_update().filter(pk=unit.pk).first()


def version_save(*, unit: Unit, period_code: str, narrative: Narrative, by: Actor) -> ReviewVersion:
    """A new version of the unit's open report of the period (the first save opens the draft)."""
    policy.require(by, Perm.REPORT_ENTER, unit)
    code = period_checked(period_code)
    values = _checked(narrative)
    with transaction.atomic():
        _lock(unit)
        draft = selectors.open_draft(unit, code)
        if draft is None:
            if ReviewDraft.objects.filter(unit=unit, period_code=code, state=State.FINAL).exists():
                raise ValidationError(
                    _("This report is finalised and can no longer be changed; start a correction instead.")
                )
            draft = ReviewDraft.objects.create(unit=unit, period_code=code, created_by=recorded_user(by))
        return _new_version(draft, values, by)


def _new_version(draft: ReviewDraft, values: Narrative, by: Actor) -> ReviewVersion:
    last = selectors.latest_version(draft)
    return ReviewVersion.objects.create(
        draft=draft, number=(last.number + 1) if last else 1, created_by=recorded_user(by), **asdict(values)
    )


def draft_finalise(
    *, unit: Unit, period_code: str, by: Actor, day: datetime.date | None = None
) -> ReviewDraft:
    """Finalise the unit's open report of the period: its last version, dated `day` (today), numbered and
    registered as an outgoing document; the figures as they stand now are kept with it."""
    policy.require(by, Perm.REPORT_ENTER, unit)
    if not policy.can(by, Perm.DOCUMENT_MANAGE, unit):
        raise PermissionDenied
    code = period_checked(period_code)
    day = day or timezone.localdate()
    with transaction.atomic():
        _lock(unit)
        draft = selectors.open_draft(unit, code)
        version = selectors.latest_version(draft)
        if (
            draft is None
            and ReviewDraft.objects.filter(unit=unit, period_code=code, state=State.FINAL).exists()
        ):
            raise ValidationError(_("This report is already finalised; start a correction to change it."))
        if draft is None or version is None:
            raise ValidationError(_("Save the report before finalising it."))
        narrative = narrative_of(version)
        if not narrative.limitations or not narrative.tasks:
            raise ValidationError(
                _("Write the limitations and their causes and the tasks ahead before finalising the report.")
            )
        kept: dict = {}

        def original(number_symbol: str) -> uploads.Checked:
            number = int(re.findall(r"\d+", number_symbol)[0])  # "12-BC/ĐU", "05/BC-UBND"
            review = build(unit=unit, period_code=code, narrative=narrative, day=day, number=number)
            docx, xlsx = io.BytesIO(), io.BytesIO()
            document.write(review, docx)
            annex.write(review, xlsx)
            kept.update(review=review, docx=docx.getvalue(), xlsx=xlsx.getvalue())
            name = file_name(unit.name, code, "docx", number)
            return uploads.check(kept["docx"], directive_files.import_rules(), name=name)

        first = build(unit=unit, period_code=code, narrative=narrative, day=day)
        registered = directive_services.document_register_outgoing(
            spec=_spec(unit, first, day),
            symbol=content.kind_symbol(first),
            by=by,
            original=original,
            pattern=content.number_pattern(first),
        )
        review = kept["review"]
        version.frozen_on = day
        version.frozen_docx = kept["docx"]
        version.frozen_xlsx = kept["xlsx"]
        version.frozen_html = rendering.html(review, selectors.figure_links(review))
        version.save(update_fields=["frozen_on", "frozen_docx", "frozen_xlsx", "frozen_html"])
        draft.state = State.FINAL
        draft.finalised_by = recorded_user(by)
        draft.finalised_at = timezone.now()
        draft.document = registered
        draft.number_symbol = registered.number_symbol
        draft.save(update_fields=["state", "finalised_by", "finalised_at", "document", "number_symbol"])
        return draft


def _spec(unit: Unit, review: content.Review, day: datetime.date) -> DocumentSpec:
    signing = review.on_behalf.split(" ", 1)
    authority = "T/M" if signing[0].rstrip(".") in ("T/M", "TM") else ""  # "TM." in a state body's
    body = "\n".join(
        [review.intro]
        + [line for part in review.parts for line in [part.heading, *map(str, part.paragraphs)]]
        + [review.closing]
    )
    return DocumentSpec(
        unit=unit,
        direction="out",
        doc_type="BC",
        number_symbol="",
        issuer=review.issuer_name,
        parent_issuer="" if review.superior.startswith("[") else review.superior,
        place="" if review.place.startswith("[") else review.place,
        issued_on=day,
        subject=review.subject,
        recipients=[line.lstrip("- ").rstrip(",.") for line in review.recipients],
        signing_authority=authority,
        signing_for=signing[1] if authority and len(signing) > 1 else "",
        signer_title="" if review.signer_title.startswith("[") else review.signer_title,
        signer="" if review.signer.startswith("[") else review.signer,
        body=body,
    )


def draft_correct(*, unit: Unit, period_code: str, by: Actor) -> ReviewDraft:
    """Start a correction of the unit's finalised report of the period: a new open draft whose first
    version holds the finalised report's texts. The finalised report and its register entry stay."""
    policy.require(by, Perm.REPORT_ENTER, unit)
    code = period_checked(period_code)
    with transaction.atomic():
        _lock(unit)
        if selectors.open_draft(unit, code) is not None:
            raise ValidationError(_("A draft of this report is already open."))
        final = ReviewDraft.objects.filter(unit=unit, period_code=code, state=State.FINAL).first()
        if final is None:
            raise ValidationError(_("This report has not been finalised: edit the draft instead."))
        draft = ReviewDraft.objects.create(unit=unit, period_code=code, created_by=recorded_user(by))
        _new_version(draft, narrative_of(selectors.latest_version(final)), by)
        return draft
