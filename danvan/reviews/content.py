"""What a review report says: the figures of a unit and a period put in sentences (no layout here).

Every figure is read through the other modules' selectors — the catalogue's data elements and
indicators as the roll-up holds them (`reports.selectors.element_totals`, `table`, `place_figures`):
the unit's own approved values plus those of every unit below it. Nothing is written, and a period
nobody prepared or a figure nobody reported is said to be missing, never shown as zero.

The fixed words of the document are those of the party's prescribed form, or a state body's
(`layout`: Nghị định 30/2020/NĐ-CP), in `wording.py`, in Vietnamese whatever the reader's language, like
the catalogue's names.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from danvan.activities.workplace import selectors as workplace
from danvan.core.templatetags.vn import number, percent
from danvan.orgs.selectors import version_on, versions_on
from danvan.reports import periods, selectors
from danvan.reports.periods import PeriodCodeError
from danvan.reports.templatetags.reports import indicator_value, target_text

from . import wording as w

# The prescribed forms (`models.Layout`): a party document (Hướng dẫn 36-HD/VPTW), the default, or a state
# body's administrative document (Nghị định 30/2020/NĐ-CP).
PARTY = "party"
STATE = "state"
LAYOUTS = (PARTY, STATE)

# Period types a review covers: halves and years (calendar or reporting).
HALF_TYPES = {"semiannual", "reporting_half"}
YEAR_TYPES = {"annual", "reporting_year"}


class ReviewError(ValueError):
    """A review that cannot be written (bad period); the message is for the reader."""


@dataclass(frozen=True)
class Piece:
    """A part of a sentence: words, or a figure with what it counts — the data element (`element`) or the
    indicator (`indicator`) whose records a page can link to."""

    text: str
    element: str = ""
    indicator: str = ""
    url: str = ""  # the records counted, when no data element holds the figure (the staff conferences)

    @property
    def counted(self) -> bool:
        return bool(self.element or self.indicator or self.url)


class Linked(str):
    """A sentence that is plain text (the DOCX writes it as it is) and knows its figures: `pieces` joined
    make the text; the HTML preview links each figure to the records it counts."""

    pieces: tuple[Piece, ...]

    def __new__(cls, pieces=()):
        pieces = tuple(p for p in pieces if p.text)
        made = super().__new__(cls, "".join(p.text for p in pieces))
        made.pieces = pieces
        return made

    def __add__(self, other):
        return Linked(self.pieces + pieces_of(other))

    def __radd__(self, other):
        return Linked(pieces_of(other) + self.pieces)


def pieces_of(text) -> tuple[Piece, ...]:
    """The pieces of a sentence: its figures when it is `Linked`, else one piece of words."""
    if isinstance(text, Linked):
        return text.pieces
    if isinstance(text, Piece):
        return (text,)
    return (Piece(str(text)),) if text else ()


_SLOT = re.compile(r"%\((\w+)\)s")


def _say(template: str, **values) -> Linked:
    """`template % values` keeping the figures: a value may be words, a `Piece` or a `Linked` sentence."""
    pieces: list[Piece] = []
    for position, part in enumerate(_SLOT.split(template)):
        pieces.extend(pieces_of(values[part]) if position % 2 else pieces_of(part))
    return Linked(pieces)


def _fig(code: str, value: int) -> Piece:
    return Piece(_n(value), element=code)


@dataclass
class Section:
    heading: str
    paragraphs: list[str]


@dataclass
class AnnexRow:
    """One indicator of one unit: the words of the DOCX and the figures of the XLSX annex."""

    unit: str
    indicator: str
    target: str
    value: str
    met: str
    numerator: int = 0
    denominator: int = 0
    amount: float | None = None  # the value in the indicator's unit (73.5 for 73,5 %)
    unit_label: str = ""


@dataclass
class MatrixCell:
    """One indicator of one unit in the DOCX annex: the value in words ("" when no figure), the unit's
    own target in words ("" when none) and whether it is met (None: no target or no figure)."""

    value: str
    target: str
    met: bool | None


@dataclass
class MatrixLine:
    unit: str
    cells: list[MatrixCell]

    @property
    def targeted(self) -> int:
        return sum(1 for cell in self.cells if cell.target)

    @property
    def met(self) -> int:
        return sum(1 for cell in self.cells if cell.target and cell.met)


@dataclass
class MatrixColumn:
    """An indicator of the DOCX annex: its name and its target when every unit targeted shares it."""

    indicator: str
    target: str


@dataclass
class Matrix:
    """The DOCX annex: one line per unit, one column per indicator with a target or a value for some unit."""

    columns: list[MatrixColumn]
    lines: list[MatrixLine]


@dataclass
class Review:
    superior: str
    issuer: str
    issuer_name: str
    symbol: str
    place: str
    day: datetime.date
    subject: str
    period_words: str
    intro: str
    parts: list[Section]
    closing: str
    on_behalf: str
    signer_title: str
    signer: str
    recipients: list[str]
    annex: list[AnnexRow] = field(default_factory=list)
    matrix: Matrix | None = None
    has_data: bool = False
    unit_code: str = ""
    period_code: str = ""  # the period's code as found ("2026S1"); never shown
    prepared: bool = False  # the period is prepared (its figures can be linked to)
    layout: str = PARTY

    @property
    def dated(self) -> str:
        return date_in_words(self.place, self.day)

    @property
    def state(self) -> bool:
        return self.layout == STATE

    @property
    def cited(self) -> str:
        """The number as a sentence cites it: "số 12-BC/ĐU", "số 12/BC-UBND"."""
        return re.sub(r"^Số:? ", "số ", self.symbol)


def date_in_words(place: str, day: datetime.date) -> str:
    """ "Đồng Nai, ngày 06 tháng 6 năm 2026": a day below 10 and the months 1 and 2 written with a
    leading 0 (Hướng dẫn 36-HD/VPTW, mục địa danh và ngày tháng năm ban hành văn bản; the same rule in
    Nghị định 30/2020/NĐ-CP, Phụ lục I, phần I, mục II.4 "Địa danh và thời gian ban hành văn bản")."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _n(value: int) -> str:
    return str(number(value))


def _rate(part: int, whole: int) -> str:
    return str(percent(Decimal(part * 100) / Decimal(whole), 1))


def _subject(found: periods.Span) -> str:
    """ "Sơ kết công tác dân vận 6 tháng đầu năm 2026", "Tổng kết công tác dân vận năm 2025": the period as a
    party document names it; its dates follow in the opening sentence."""
    year = found.code[:4]
    if found.period_type in HALF_TYPES:
        half = w.FIRST_HALF if found.code.endswith("S1") else w.SECOND_HALF
        return f"{w.SEMI_ANNUAL} công tác dân vận {half} năm {year}"
    return f"{w.ANNUAL} công tác dân vận năm {year}"


def _abbreviation(name: str) -> str:
    """ "Đảng ủy Sở Tư pháp" → "ĐU": the initials of the body's kind (the first two words)."""
    initials = [word[0] for word in name.split()[:2]]
    return "".join("Đ" if c in "đĐ" else unicodedata.normalize("NFD", c)[0].upper() for c in initials)


def _state_abbreviation(name: str) -> str:
    """ "Ủy ban nhân dân tỉnh Đồng Nai" → "UBND", "Sở Tư pháp" → "STP": the initials of the words naming
    the kind of body (up to a place's level or a proper name); all the initials when that is one word."""
    words = name.split()
    kind = words[:1]
    for word in words[1:]:
        if word[:1].isupper() or word.lower() in w.PLACE_LEVELS:
            break
        kind.append(word)
    if len(kind) == 1:
        kind = words
    initials = "".join(word[0] for word in kind)[:10]
    return "".join("Đ" if c in "đĐ" else unicodedata.normalize("NFD", c)[0].upper() for c in initials)


def number_words(layout: str, number: int | None, symbol: str) -> str:
    """ "Số 12-BC/ĐU" (a party document), "Số: 12/BC-UBND" (a state body's: Nghị định 30/2020/NĐ-CP,
    Phụ lục I, phần I, mục II.3 — "Số" then a colon, a number below 10 with a leading 0, the kind of
    document before the body's abbreviation); blanks where the register's number will come."""
    if layout == STATE:
        return f"Số: {f'{number:02d}' if number is not None else '     '}/BC-{symbol}"
    return f"Số {number if number is not None else '     '}-BC/{symbol}"


def number_pattern(review: "Review") -> str:
    """How the register writes the finished report's number and symbol (`directives.services.
    document_register_outgoing`'s `pattern`): "12-BC/ĐU", or "12/BC-UBND" (and "05/BC-UBND")."""
    return "{number:02d}/{symbol}" if review.state else "{number}-{symbol}"


def _superior(name: str) -> str:
    for committee, body in w.COMMITTEE_TO_BODY:
        if name.lower().startswith(committee.lower()):
            return body + name[len(committee) :]
    return name


def _period_span(code: str):
    try:
        found = periods.span(code, periods.reporting_start())
    except PeriodCodeError as error:
        raise ReviewError(str(error)) from None
    if found.period_type not in HALF_TYPES | YEAR_TYPES:
        raise ReviewError(_("A review report covers a half-year or a year (examples: 2026S1, 2026, 2026RY)."))
    return found


def period_code_of(code: str) -> str:
    """The code of the half-year or year `code` names ("2026s1" → "2026S1"); ReviewError otherwise."""
    return _period_span(code).code


def build(
    *,
    unit,
    period_code: str,
    day: datetime.date,
    place: str = w.PLACE_PLACEHOLDER,
    symbol: str = "",
    superior: str = "",
    on_behalf: str = "",
    signer_title: str = "",
    signer: str = w.NAME_PLACEHOLDER,
    limitations: str = "",
    tasks: str = "",
    number: int | None = None,
    layout: str = PARTY,
) -> Review:
    """The review of `unit` for the period `period_code`, dated `day`, from the current data.

    `limitations` and `tasks` are the parts the official writes (one paragraph a line; the bracketed
    placeholders when empty); `number` is the number the register gave the finished report; `layout`
    the prescribed form (`PARTY` or `STATE`), which also sets the defaults of the header details left
    empty (`signer_title` "" takes the form's)."""
    if layout not in LAYOUTS:
        raise ReviewError(_("The document form must be “party” or “state”."))
    state = layout == STATE
    with translation.override("vi"):
        found = _period_span(period_code)
        period = selectors.period_find(found.code)
        words = periods.period_words(period if period is not None else found.code)
        on = min(day, found.end)  # the names the unit and its superior bear on the report's day
        version = version_on(unit, on) or version_on(unit, found.end)
        name = version.name if version else unit.name
        parent = version.parent if version else None
        parent_name = version_name(parent, on) if parent is not None else ""
        prepared = selectors.is_prepared(period)
        totals = (
            selectors.element_totals(unit=unit, period=period, codes=w.ELEMENT_CODES)
            if prepared and period is not None
            else {code: None for code in w.ELEMENT_CODES}
        )
        figures = selectors.table(unit=unit, period=period) if prepared and period is not None else []
        has_data = any(v is not None for v in totals.values()) or any(f.value is not None for f in figures)
        below = _below(unit, period, figures) if has_data and period is not None else None
        targets = _targets(figures, below) if below is not None else []
        annex = _annex(unit, period, figures, below) if below is not None and period is not None else []
        matrix = _matrix(unit, period, figures, below) if below is not None and period is not None else None
        first = [w.NO_DATA % {"unit": name, "period": words[0].lower() + words[1:]}] if not has_data else []
        parts = [
            Section(w.PART_RESULTS, first),
            Section(w.SECTION_LEADERSHIP, _leadership(totals)),
            Section(w.SECTION_TARGETS, targets or [w.NO_TARGETS]),
            Section(w.SECTION_VOICE, _voice(totals)),
            Section(w.SECTION_ACTIVITIES, _activities(totals, _conferences(unit, found))),
            Section(w.SECTION_EMULATION, _emulation(totals)),
            Section(w.PART_LIMITATIONS, _written(limitations) or [w.LIMITATIONS_PLACEHOLDER]),
            Section(w.PART_TASKS, _written(tasks) or [w.TASKS_PLACEHOLDER]),
        ]
        subject = _subject(found)
        if state:
            default_superior = parent_name or w.STATE_SUPERIOR_PLACEHOLDER
            default_on_behalf = w.STATE_ON_BEHALF % {"body": name.upper()}
            recipients = [
                w.STATE_TO_SUPERIOR % {"superior": parent_name or w.SUPERIOR_RECIPIENT_PLACEHOLDER},
                w.STATE_TO_BELOW,
                w.STATE_TO_FILE,
            ]
        else:
            default_superior = _superior(parent_name) if parent_name else w.SUPERIOR_PLACEHOLDER
            cell = version is not None and version.unit_type.code == "cell"
            default_on_behalf = w.ON_BEHALF_CELL if cell else w.ON_BEHALF
            recipients = [
                w.TO_SUPERIOR % {"superior": parent_name or w.SUPERIOR_RECIPIENT_PLACEHOLDER},
                w.TO_BELOW,
                w.TO_FILE,
            ]
        abbreviation = symbol or (_state_abbreviation(name) if state else _abbreviation(name))
        return Review(
            superior=(superior or default_superior).upper(),
            issuer=name.upper(),
            issuer_name=name,
            symbol=number_words(layout, number, abbreviation),
            place=place,
            day=day,
            subject=subject,
            period_words=words,
            intro=w.INTRO
            % {
                "unit": name,
                "subject": subject[0].lower() + subject[1:],
                "start": found.start.strftime("%d/%m/%Y"),
                "end": found.end.strftime("%d/%m/%Y"),
            },
            parts=parts,
            closing=w.CLOSING % {"subject": subject[0].lower() + subject[1:], "unit": name},
            on_behalf=on_behalf or default_on_behalf,
            signer_title=signer_title or (w.STATE_SIGNER_TITLE if state else w.SECRETARY),
            signer=signer,
            recipients=recipients,
            annex=annex,
            matrix=matrix,
            has_data=has_data,
            unit_code=unit.code,
            period_code=found.code,
            prepared=prepared,
            layout=layout,
        )


def _written(text: str) -> list[str]:
    """The official's text as paragraphs: one a line, blank lines dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def kind_symbol(review: Review) -> str:
    """ "BC/ĐU" ("BC-UBND" for a state body): the symbol of the report's number without the number."""
    return review.symbol.split("/" if review.state else "-", 1)[1]


def _present(totals: dict[str, int | None], *codes: str) -> bool:
    return any(totals[code] is not None for code in codes)


def _leadership(t: dict[str, int | None]) -> list[str]:
    out = []
    received, studied = t["STUDY_RECEIVED"], t["STUDY_ORGANISED"]
    if received is not None:
        sentence = _say(w.STUDY_RECEIVED, received=_fig("STUDY_RECEIVED", received))
        if studied is not None:
            sentence += _say(w.STUDY_DONE, studied=_fig("STUDY_ORGANISED", studied))
            if received:
                sentence += w.REACHING % {"rate": _rate(studied, received)}
        out.append(sentence + ".")
    committees, complete = t["STUDY_COMMITTEES"], t["STUDY_COMMITTEES_ORGANISED"]
    if committees:
        out.append(
            _say(
                w.STUDY_COMMITTEES,
                complete=_fig("STUDY_COMMITTEES_ORGANISED", complete or 0),
                committees=_fig("STUDY_COMMITTEES", committees),
                rate=_rate(complete or 0, committees),
            )
        )
    return out or [w.NO_SECTION_DATA % {"topic": w.TOPIC_LEADERSHIP}]


def _voice(t: dict[str, int | None]) -> list[str]:
    out = []
    clauses = []
    if t["SUGGESTIONS_RECEIVED"]:
        clause = _say(w.SUGGESTIONS, count=_fig("SUGGESTIONS_RECEIVED", t["SUGGESTIONS_RECEIVED"]))
        if t["SUGGESTIONS_ANSWERED"] is not None:
            answered = t["SUGGESTIONS_ANSWERED"]
            clause += (
                _say(w.ANSWERED, count=_fig("SUGGESTIONS_ANSWERED", answered))
                if answered
                else w.NONE_ANSWERED
            )
        clauses.append(clause)
    for code, text in w.CASE_KINDS:
        count = t[code]
        if count:  # a kind nobody sent is left out of the sentence
            clauses.append(_say(text, count=_fig(code, count)))
    if clauses:
        out.append(w.RECEIVED + _joined(clauses) + ".")
    elif _present(t, "SUGGESTIONS_RECEIVED", *(code for code, _text in w.CASE_KINDS)):
        out.append(w.NOTHING_RECEIVED)
    resolved, on_time = t["CASES_RESOLVED"], t["CASES_RESOLVED_ON_TIME"]
    if resolved is not None:
        sentence = _say(w.RESOLVED, count=_fig("CASES_RESOLVED", resolved))
        if on_time is not None and resolved:
            late = max(resolved - on_time, 0)
            sentence += _say(
                w.ON_TIME, on_time=_fig("CASES_RESOLVED_ON_TIME", on_time), rate=_rate(on_time, resolved)
            )
            sentence += w.LATE % {"late": _n(late)} if late else w.NONE_LATE
        out.append(sentence + ".")
    return out or [w.NO_SECTION_DATA % {"topic": w.TOPIC_VOICE}]


def _conferences(unit, found: periods.Span) -> Piece | None:
    """The staff conferences (hội nghị cán bộ, công chức) held in the period in the unit's subtree, read
    from their register (no data element counts them), linked to it; None when none was held."""
    years = workplace.held_between(unit, found.start, found.end)
    if not years:
        return None
    query = urlencode({"unit": unit.code, "year": max(years)})
    return Piece(_n(len(years)), url=f"{reverse('workplace:home')}?{query}")


def _activities(t: dict[str, int | None], conferences: Piece | None = None) -> list[str]:
    out: list[str] = []
    if t["DIALOGUES_HELD"] is not None:
        out.append(_say(w.DIALOGUES, count=_fig("DIALOGUES_HELD", t["DIALOGUES_HELD"])))
    if conferences is not None:
        out.append(_say(w.CONFERENCES, count=conferences))
    if t["CELLS_WITH_THEMATIC_MEETING"] is not None:
        cells = t["CELLS_TOTAL"]
        sentence = _say(
            w.CELL_MEETINGS, count=_fig("CELLS_WITH_THEMATIC_MEETING", t["CELLS_WITH_THEMATIC_MEETING"])
        )
        if cells:
            sentence += _say(
                w.OF_CELLS,
                cells=_fig("CELLS_TOTAL", cells),
                rate=_rate(t["CELLS_WITH_THEMATIC_MEETING"] or 0, cells),
            )
        out.append(sentence + ".")
    if t["TRAINING_CLASSES"] is not None:
        sentence = _say(w.TRAINING, count=_fig("TRAINING_CLASSES", t["TRAINING_CLASSES"]))
        if t["TRAINING_PARTICIPANTS"] is not None:
            sentence += _say(w.PARTICIPANTS, count=_fig("TRAINING_PARTICIPANTS", t["TRAINING_PARTICIPANTS"]))
        out.append(sentence + ".")
    cases, successful = t["MEDIATION_CASES"], t["MEDIATION_SUCCESSFUL"]
    if cases is not None:
        sentence = _say(w.MEDIATION, count=_fig("MEDIATION_CASES", cases))
        if successful is not None and cases:
            sentence += _say(
                w.MEDIATION_SUCCESS,
                count=_fig("MEDIATION_SUCCESSFUL", successful),
                rate=_rate(successful, cases),
            )
        out.append(sentence + ".")
    return out or [w.NO_SECTION_DATA % {"topic": w.TOPIC_ACTIVITIES}]


def _emulation(t: dict[str, int | None]) -> list[str]:
    out = []
    if _present(t, "EXEMPLARS_REGISTERED", "EXEMPLARS_RECOGNISED", "EXEMPLARS_REPLICATED"):
        clauses = [
            _say(text, count=_fig(code, t[code] or 0)) for code, text in w.EXEMPLARS if t[code] is not None
        ]
        out.append(w.EXEMPLARS_LEAD + _joined(clauses) + ".")
    if _present(t, "COMMENDED_COLLECTIVES", "COMMENDED_INDIVIDUALS"):
        out.append(
            _say(
                w.COMMENDED,
                collectives=_fig("COMMENDED_COLLECTIVES", t["COMMENDED_COLLECTIVES"] or 0),
                individuals=_fig("COMMENDED_INDIVIDUALS", t["COMMENDED_INDIVIDUALS"] or 0),
            )
        )
    return out or [w.NO_SECTION_DATA % {"topic": w.TOPIC_EMULATION}]


def _joined(clauses: list) -> Linked:
    """ "a; b và c", keeping the clauses' figures."""
    joined = Linked(pieces_of(clauses[0]))
    for position, clause in enumerate(clauses[1:], start=1):
        joined += (" và " if position == len(clauses) - 1 else "; ") + clause
    return joined


@dataclass
class Below:
    """The figures of the units right below (the period's tree), read once for the section and the annex."""

    ids: list[int]
    names: dict[int, str]
    figures: dict[int, dict[int, selectors.PlaceFigure]]

    def missed(self, indicator) -> list[str]:
        return sorted(self.names.get(i, "") for i in self.ids if self.figures[i][indicator.id].met is False)

    def targeted(self, indicator) -> list[int]:
        return [i for i in self.ids if self.figures[i][indicator.id].target is not None]


def _below(unit, period, figures) -> Below:
    places = selectors.ranked_places(unit=unit, period=period)
    ids = list(places.values_list("unit_id", flat=True))
    names = dict(versions_on(period.end).filter(unit_id__in=ids).values_list("unit_id", "name"))
    read = selectors.place_figures(period=period, places=places, indicators=[f.indicator for f in figures])
    ids.sort(key=lambda i: names.get(i, ""))
    return Below(ids, names, read)


def _targets(figures, below: Below) -> list[str]:
    """The unit's own targets (met or not), then each indicator whose targets are set for the units
    below only, with the units that missed them."""
    relevant = [f for f in figures if f.target is not None or below.targeted(f.indicator)]
    if not relevant:
        return []
    own = [f for f in relevant if f.target is not None]
    out = []
    if own:
        met = sum(1 for f in own if f.met)
        missed = sum(1 for f in own if f.met is False)
        summary = (w.TARGETS_SUMMARY if met else w.TARGETS_SUMMARY_NONE_MET) % {
            "count": _n(len(own)),
            "met": _n(met),
            "missed": _n(missed),
        }
        if len(own) - met - missed:
            summary = summary[:-1] + w.TARGETS_UNKNOWN % {"count": _n(len(own) - met - missed)}
        out.append(summary)
    for f in relevant:
        value = indicator_value(f.value, f.indicator) if f.value is not None else w.NO_FIGURE_VALUE
        missing = below.missed(f.indicator)
        if f.target is not None:
            verdict = w.MET if f.met else w.NOT_MET if f.met is False else w.NO_FIGURE
            sentence = _say(
                w.TARGET_LINE,
                indicator=f.indicator.name,
                value=Piece(value, indicator=f.indicator.code if f.value is not None else ""),
                target=target_text(f.target),
                verdict=verdict,
            )
        else:
            targeted = below.targeted(f.indicator)
            reached = sum(1 for i in targeted if below.figures[i][f.indicator.id].met)
            sentence = _say(
                w.TARGET_BELOW_LINE,
                indicator=f.indicator.name,
                value=Piece(value, indicator=f.indicator.code if f.value is not None else ""),
                met=_n(reached),
                count=_n(len(targeted)),
            )
        if missing:
            sentence += w.UNITS_MISSED % {"count": _n(len(missing)), "units": ", ".join(missing)}
        out.append(sentence + ".")
    return out


def _annex(unit, period, figures, below: Below) -> list[AnnexRow]:
    """Indicators with a target, per unit right below (the unit itself when it has none)."""
    rows: list[AnnexRow] = []
    if not below.ids:
        name = version_name(unit, period.end)
        return [_row(name, f, f.target, f.value, f.met) for f in figures if f.target is not None]
    for unit_id in below.ids:
        for f in figures:
            place = below.figures[unit_id][f.indicator.id]
            if place.target is not None:
                rows.append(_row(below.names.get(unit_id, ""), place, place.target, place.value, place.met))
    return rows


def _matrix(unit, period, figures, below: Below) -> Matrix | None:
    """The annex as the DOCX prints it: the units right below (the unit itself when it has none) by the
    indicators that have a target or a value for one of them; None when there is no such indicator."""
    if below.ids:
        places = [(below.names.get(i, ""), below.figures[i]) for i in below.ids]
    else:
        places = [(version_name(unit, period.end), {f.indicator.id: f for f in figures})]
    kept = [
        f.indicator
        for f in figures
        if any(
            read[f.indicator.id].target is not None or read[f.indicator.id].value is not None
            for _, read in places
        )
    ]
    if not kept:
        return None
    lines = [MatrixLine(unit=name, cells=[_cell(read[i.id]) for i in kept]) for name, read in places]
    columns = []
    for position, indicator in enumerate(kept):
        targets = {line.cells[position].target for line in lines if line.cells[position].target}
        columns.append(
            MatrixColumn(indicator=indicator.name, target=targets.pop() if len(targets) == 1 else "")
        )
    return Matrix(columns=columns, lines=lines)


def _cell(figure) -> MatrixCell:
    """`figure`: a `Figures` or a `PlaceFigure` (its indicator, value, target and verdict)."""
    value = figure.value
    return MatrixCell(
        value=indicator_value(value, figure.indicator) if value is not None else "",
        target=target_text(figure.target) if figure.target is not None else "",
        met=figure.met,
    )


def version_name(unit, day: datetime.date) -> str:
    version = version_on(unit, day)
    return version.name if version else unit.name


def _row(name: str, figure, target, value: Fraction | None, met: bool | None) -> AnnexRow:
    """`figure`: a `Figures` or a `PlaceFigure` (its indicator, numerator and denominator)."""
    indicator = figure.indicator
    return AnnexRow(
        unit=name,
        indicator=indicator.name,
        target=target_text(target),
        value=indicator_value(value, indicator) if value is not None else w.NO_FIGURE_VALUE,
        met=w.MET_SHORT if met else w.NOT_MET_SHORT if met is False else w.NO_FIGURE_SHORT,
        numerator=figure.numerator,
        denominator=figure.denominator,
        amount=round(float(value), indicator.decimals) if value is not None else None,
        unit_label=indicator.unit_label,
    )
