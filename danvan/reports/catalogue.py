"""The catalogue loaded from the seeds (seed 004's targets, seed 001's figures).

`ensure(apps)` creates what is missing and never overwrites what administrators changed; the
data migration and `danvan demo` call it.
"""

from decimal import Decimal

ELEMENTS = [
    # code, name, source
    ("STAFF_ELIGIBLE", "Cán bộ, công chức, viên chức, người lao động đủ điều kiện tham gia đoàn thể", ""),
    ("STAFF_IN_MASS_ORGS", "Cán bộ, công chức, viên chức, người lao động đã tham gia đoàn thể", ""),
    ("MEMBERS_TOTAL", "Tổng số đoàn viên, hội viên", ""),
    ("MEMBERS_ACTIVE", "Đoàn viên, hội viên tham gia sinh hoạt thường xuyên", ""),
    ("MASS_ORGS_TOTAL", "Tổ chức cơ sở đoàn thể", ""),
    ("MASS_ORGS_STRONG", "Tổ chức cơ sở đoàn thể được đánh giá vững mạnh", ""),
    ("MEDIATION_CASES", "Vụ việc hòa giải ở cơ sở", "mediation.cases_received"),
    ("MEDIATION_SUCCESSFUL", "Vụ việc hòa giải thành", "mediation.cases_successful"),
    ("TRAINING_CLASSES", "Lớp tập huấn, bồi dưỡng công tác dân vận", "training.classes"),
    ("TRAINING_PARTICIPANTS", "Lượt người tham gia tập huấn, bồi dưỡng", "training.participants"),
    (
        "DIALOGUES_HELD",
        "Cuộc đối thoại giữa người đứng đầu với cán bộ, nhân dân",
        "dialogues.held",
    ),
    ("SUGGESTION_BOXES", "Hòm thư góp ý", ""),
    ("GRASSROOTS_ORGS", "Tổ chức cơ sở đảng", "orgs.grassroots"),
    (
        "GRASSROOTS_WITH_LEAD",
        "Tổ chức cơ sở đảng có cấp ủy viên phụ trách công tác dân vận",
        "orgs.grassroots_with_lead",
    ),
    (
        "GRASSROOTS_WITH_REGULATION",
        "Tổ chức cơ sở đảng có quy chế phối hợp",
        "orgs.grassroots_with_regulation",
    ),
    # Counted from the citizen voice records (danvan/voice/cases/sources.py), for the unit itself.
    ("SUGGESTIONS_RECEIVED", "Ý kiến góp ý của nhân dân đã tiếp nhận", "voice.suggestions_received"),
    ("SUGGESTIONS_ANSWERED", "Ý kiến góp ý của nhân dân đã trả lời", "voice.suggestions_answered"),
    ("PETITIONS_RECEIVED", "Kiến nghị, phản ánh đã tiếp nhận", "voice.petitions_received"),
    ("COMPLAINTS_RECEIVED", "Đơn khiếu nại đã tiếp nhận", "voice.complaints_received"),
    ("DENUNCIATIONS_RECEIVED", "Đơn tố cáo đã tiếp nhận", "voice.denunciations_received"),
    ("CASES_RESOLVED", "Vụ việc khiếu nại, tố cáo đã giải quyết", "voice.cases_resolved"),
    (
        "CASES_RESOLVED_ON_TIME",
        "Vụ việc khiếu nại, tố cáo giải quyết đúng thời hạn",
        "voice.cases_resolved_on_time",
    ),
    # Counted from the dissemination records (danvan/directives/dissemination.py), for the unit itself.
    (
        "STUDY_RECEIVED",
        "Văn bản được triển khai đến đơn vị để học tập, quán triệt",
        "directives.study_received",
    ),
    ("STUDY_ORGANISED", "Văn bản đơn vị đã tổ chức học tập, quán triệt", "directives.study_done"),
    # The same records counted by committee (party organisations only): received any, studied them all.
    (
        "STUDY_COMMITTEES",
        "Cấp ủy được triển khai văn bản để học tập, quán triệt",
        "directives.committees_received",
    ),
    (
        "STUDY_COMMITTEES_ORGANISED",
        "Cấp ủy đã tổ chức học tập, quán triệt đầy đủ các văn bản được triển khai",
        "directives.committees_studied",
    ),
    # Counted from the activity registers (danvan/activities/*/sources.py).
    ("CELLS_TOTAL", "Chi bộ", "cells.cells"),
    (
        "CELLS_WITH_THEMATIC_MEETING",
        "Chi bộ có sinh hoạt chuyên đề về công tác dân vận",
        "cells.with_thematic_meeting",
    ),
    # Counted from emulation and evaluation (danvan/emulation/*/sources.py).
    ("EXEMPLARS_REGISTERED", "Mô hình “Dân vận khéo” đăng ký", "exemplars.registered"),
    ("EXEMPLARS_RECOGNISED", "Mô hình “Dân vận khéo” được công nhận", "exemplars.recognised"),
    ("EXEMPLARS_REPLICATED", "Lượt nhân rộng mô hình “Dân vận khéo”", "exemplars.replicated"),
    ("COMMENDED_COLLECTIVES", "Tập thể được khen thưởng", "commendations.collectives"),
    ("COMMENDED_INDIVIDUALS", "Cá nhân được khen thưởng", "commendations.individuals"),
    ("EVAL_CLASSIFIED", "Đơn vị đã được đánh giá, xếp loại", "evaluations.final"),
    ("EVAL_OUTSTANDING", "Đơn vị hoàn thành xuất sắc nhiệm vụ", "evaluations.outstanding"),
    ("EVAL_GOOD", "Đơn vị hoàn thành tốt nhiệm vụ", "evaluations.good"),
    ("EVAL_PASSED", "Đơn vị hoàn thành nhiệm vụ", "evaluations.passed"),
    ("EVAL_FAILED", "Đơn vị không hoàn thành nhiệm vụ", "evaluations.failed"),
    ("QUIZ_ATTEMPTS", "Lượt thi trắc nghiệm đã kết thúc", "quizzes.attempts"),
    ("QUIZ_TAKERS", "Người dự thi trắc nghiệm", "quizzes.takers"),
    ("QUIZ_PEOPLE", "Người có vai trò trong hệ thống (được dự thi)", "quizzes.people"),
    ("QUIZ_QUESTIONS_ANSWERED", "Câu hỏi trắc nghiệm đã làm", "quizzes.questions"),
    ("QUIZ_ANSWERS_RIGHT", "Câu trả lời trắc nghiệm đúng", "quizzes.right"),
]
EMULATION_ELEMENTS = [
    code
    for code, _name, source in ELEMENTS
    if source.split(".")[0] in {"exemplars", "commendations", "evaluations", "quizzes"}
]
# Elements the activity registers count, once typed (issue 14): code → source.
ACTIVITY_SOURCES = {
    "MEDIATION_CASES": "mediation.cases_received",
    "MEDIATION_SUCCESSFUL": "mediation.cases_successful",
    "TRAINING_CLASSES": "training.classes",
    "TRAINING_PARTICIPANTS": "training.participants",
    "DIALOGUES_HELD": "dialogues.held",
}
CELL_ELEMENTS = ["CELLS_TOTAL", "CELLS_WITH_THEMATIC_MEETING"]
CELL_SECTION = "VI. Sinh hoạt chuyên đề về công tác dân vận ở chi bộ"
VOICE_ELEMENTS = [
    "SUGGESTIONS_RECEIVED",
    "SUGGESTIONS_ANSWERED",
    "PETITIONS_RECEIVED",
    "COMPLAINTS_RECEIVED",
    "DENUNCIATIONS_RECEIVED",
    "CASES_RESOLVED",
    "CASES_RESOLVED_ON_TIME",
]
VOICE_SECTION = "V. Tiếp nhận, giải quyết ý kiến, kiến nghị, đơn thư của nhân dân"

# code, name, numerator, denominator, targets [(group code or None, value)]
INDICATORS = [
    (
        "MASS_GATHERING_RATE",
        "Tỷ lệ cán bộ, công chức, viên chức, người lao động tham gia đoàn thể",
        ["STAFF_IN_MASS_ORGS"],
        ["STAFF_ELIGIBLE"],
        [("admin_agency", 100), ("public_service_unit", 100), ("vocational_school", 70)],
    ),
    (
        "MEMBER_ACTIVE_RATE",
        "Tỷ lệ đoàn viên, hội viên tham gia sinh hoạt thường xuyên",
        ["MEMBERS_ACTIVE"],
        ["MEMBERS_TOTAL"],
        [(None, 80)],
    ),
    (
        "MASS_ORG_STRONG_RATE",
        "Tỷ lệ tổ chức cơ sở đoàn thể vững mạnh",
        ["MASS_ORGS_STRONG"],
        ["MASS_ORGS_TOTAL"],
        [(None, 80)],
    ),
    ("MEDIATION_SUCCESS_RATE", "Tỷ lệ hòa giải thành", ["MEDIATION_SUCCESSFUL"], ["MEDIATION_CASES"], []),
    (
        "MOBILISATION_LEAD_RATE",
        "Tỷ lệ tổ chức cơ sở đảng phân công cấp ủy viên phụ trách công tác dân vận",
        ["GRASSROOTS_WITH_LEAD"],
        ["GRASSROOTS_ORGS"],
        [(None, 100)],
    ),
    (
        "COORDINATION_REGULATION_RATE",
        "Tỷ lệ tổ chức cơ sở đảng có quy chế phối hợp",
        ["GRASSROOTS_WITH_REGULATION"],
        ["GRASSROOTS_ORGS"],
        [(None, 100)],
    ),
    (
        "ON_TIME_RESOLUTION_RATE",
        "Tỷ lệ giải quyết khiếu nại, tố cáo đúng thời hạn",
        ["CASES_RESOLVED_ON_TIME"],
        ["CASES_RESOLVED"],
        [],
    ),
    (
        "STUDY_RATE",
        "Tỷ lệ cấp ủy đã tổ chức học tập, quán triệt văn bản",
        ["STUDY_COMMITTEES_ORGANISED"],
        ["STUDY_COMMITTEES"],
        [(None, 100)],
    ),
    (
        "CELL_MEETING_RATE",
        "Tỷ lệ chi bộ có sinh hoạt chuyên đề về công tác dân vận",
        ["CELLS_WITH_THEMATIC_MEETING"],
        ["CELLS_TOTAL"],
        [(None, 100)],
    ),
    # Emulation and evaluation (issue 15): the share of units classified in each level, quiz figures.
    (
        "EVAL_OUTSTANDING_RATE",
        "Tỷ lệ đơn vị hoàn thành xuất sắc nhiệm vụ",
        ["EVAL_OUTSTANDING"],
        ["EVAL_CLASSIFIED"],
        [],
    ),
    ("EVAL_GOOD_RATE", "Tỷ lệ đơn vị hoàn thành tốt nhiệm vụ", ["EVAL_GOOD"], ["EVAL_CLASSIFIED"], []),
    ("EVAL_PASSED_RATE", "Tỷ lệ đơn vị hoàn thành nhiệm vụ", ["EVAL_PASSED"], ["EVAL_CLASSIFIED"], []),
    ("EVAL_FAILED_RATE", "Tỷ lệ đơn vị không hoàn thành nhiệm vụ", ["EVAL_FAILED"], ["EVAL_CLASSIFIED"], []),
    (
        "QUIZ_PARTICIPATION_RATE",
        "Tỷ lệ người dự thi trắc nghiệm",
        ["QUIZ_TAKERS"],
        ["QUIZ_PEOPLE"],
        [],
    ),
    (
        "QUIZ_AVERAGE_SCORE",
        "Tỷ lệ câu trả lời đúng trong thi trắc nghiệm (điểm trung bình, %)",
        ["QUIZ_ANSWERS_RIGHT"],
        ["QUIZ_QUESTIONS_ANSWERED"],
        [],
    ),
]

# The semi-annual and annual mobilisation report of seed 004 (due before 15/12 each year).
FORMS = [
    {
        "code": "BC-DV-6T",
        "name": "Báo cáo công tác dân vận 6 tháng",
        "period_type": "semiannual",
        "deadline": ("after_end", 15, None, None),
    },
    {
        "code": "BC-DV-NAM",
        "name": "Báo cáo công tác dân vận năm",
        "period_type": "reporting_year",
        "deadline": ("fixed", 0, 15, 12),
    },
]
SECTIONS = [
    (
        "I. Công tác tập hợp, đoàn kết",
        ["STAFF_ELIGIBLE", "STAFF_IN_MASS_ORGS", "MEMBERS_TOTAL", "MEMBERS_ACTIVE"],
    ),
    ("II. Xây dựng tổ chức đoàn thể", ["MASS_ORGS_TOTAL", "MASS_ORGS_STRONG"]),
    ("III. Hòa giải ở cơ sở", ["MEDIATION_CASES", "MEDIATION_SUCCESSFUL"]),
    (
        "IV. Tập huấn, đối thoại, tiếp nhận ý kiến",
        ["TRAINING_CLASSES", "TRAINING_PARTICIPANTS", "DIALOGUES_HELD", "SUGGESTION_BOXES"],
    ),
    (VOICE_SECTION, VOICE_ELEMENTS),
    (CELL_SECTION, CELL_ELEMENTS),
]
FORM_UNIT_TYPES = ["committee", "grassroots"]


def ensure(apps) -> None:
    DataElement = apps.get_model("reports", "DataElement")
    Indicator = apps.get_model("reports", "Indicator")
    IndicatorTerm = apps.get_model("reports", "IndicatorTerm")
    Target = apps.get_model("reports", "Target")
    ReportForm = apps.get_model("reports", "ReportForm")
    FormSection = apps.get_model("reports", "FormSection")
    FormField = apps.get_model("reports", "FormField")
    UnitGroup = apps.get_model("orgs", "UnitGroup")
    UnitType = apps.get_model("orgs", "UnitType")

    elements = {}
    for order, (code, name, source) in enumerate(ELEMENTS, start=1):
        elements[code], _ = DataElement.objects.get_or_create(
            code=code, defaults={"name": name, "source": source, "order": order * 10}
        )
    for order, (code, name, numerator, denominator, targets) in enumerate(INDICATORS, start=1):
        indicator, created = Indicator.objects.get_or_create(
            code=code, defaults={"name": name, "order": order * 10}
        )
        if not created:
            continue
        for side, codes in (("n", numerator), ("d", denominator)):
            for element_code in codes:
                IndicatorTerm.objects.create(indicator=indicator, element=elements[element_code], side=side)
        for group_code, value in targets:
            group = None
            if group_code:
                group, _ = UnitGroup.objects.get_or_create(code=group_code, defaults={"name": group_code})
            Target.objects.create(
                indicator=indicator, unit_group=group, comparator="gte", value=Decimal(value)
            )
    for spec in FORMS:
        kind, days, day, month = spec["deadline"]
        form, created = ReportForm.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "period_type": spec["period_type"],
                "deadline_kind": kind,
                "deadline_days": days,
                "deadline_day": day,
                "deadline_month": month,
            },
        )
        if not created:
            continue
        form.unit_types.set(UnitType.objects.filter(code__in=FORM_UNIT_TYPES))
        for order, (title, codes) in enumerate(SECTIONS, start=1):
            section = FormSection.objects.create(form=form, title=title, order=order)
            for field_order, code in enumerate(codes, start=1):
                FormField.objects.create(section=section, element=elements[code], order=field_order)


def study_rate_by_committee(apps) -> None:
    """STUDY_RATE as first seeded divided documents (studied / received); make it count committees, as
    its name says, unless an administrator has changed its terms since."""
    Indicator = apps.get_model("reports", "Indicator")
    IndicatorTerm = apps.get_model("reports", "IndicatorTerm")
    DataElement = apps.get_model("reports", "DataElement")
    indicator = Indicator.objects.filter(code="STUDY_RATE").first()
    if indicator is None:
        return
    terms = set(IndicatorTerm.objects.filter(indicator=indicator).values_list("side", "element__code"))
    if terms != {("n", "STUDY_ORGANISED"), ("d", "STUDY_RECEIVED")}:
        return
    IndicatorTerm.objects.filter(indicator=indicator).delete()
    for side, code in (("n", "STUDY_COMMITTEES_ORGANISED"), ("d", "STUDY_COMMITTEES")):
        IndicatorTerm.objects.create(
            indicator=indicator, side=side, element=DataElement.objects.get(code=code)
        )


def ensure_voice_section(apps) -> None:
    """Add the voice section (figures taken from the records) to the seeded forms that have none of it.

    Run once by the data migration that brought the voice elements; a form an administrator
    already gave one of those elements is left alone.
    """
    DataElement = apps.get_model("reports", "DataElement")
    ReportForm = apps.get_model("reports", "ReportForm")
    FormSection = apps.get_model("reports", "FormSection")
    FormField = apps.get_model("reports", "FormField")

    elements = {e.code: e for e in DataElement.objects.filter(code__in=VOICE_ELEMENTS)}
    for form in ReportForm.objects.filter(code__in=[spec["code"] for spec in FORMS]):
        if FormField.objects.filter(section__form=form, element__code__in=VOICE_ELEMENTS).exists():
            continue
        last = (
            FormSection.objects.filter(form=form).order_by("-order").values_list("order", flat=True).first()
        )
        section = FormSection.objects.create(form=form, title=VOICE_SECTION, order=(last or 0) + 1)
        for field_order, code in enumerate(VOICE_ELEMENTS, start=1):
            if code in elements:
                FormField.objects.create(section=section, element=elements[code], order=field_order)


def activity_sources(apps) -> None:
    """The figures the activity registers now count (issue 14): the elements once typed take their
    source unless an administrator gave them another; the cell-meeting elements, indicator and form
    section are added where missing."""
    DataElement = apps.get_model("reports", "DataElement")
    ReportForm = apps.get_model("reports", "ReportForm")
    FormSection = apps.get_model("reports", "FormSection")
    FormField = apps.get_model("reports", "FormField")

    for code, source in ACTIVITY_SOURCES.items():
        DataElement.objects.filter(code=code, source="").update(source=source)
    existing_forms = set(ReportForm.objects.values_list("code", flat=True))
    ensure(apps)  # creates the new elements and indicator (and forms only where none exist yet)
    elements = {e.code: e for e in DataElement.objects.filter(code__in=CELL_ELEMENTS)}
    for form in ReportForm.objects.filter(code__in=[spec["code"] for spec in FORMS]):
        if form.code not in existing_forms:
            continue  # created just now, with every section
        if FormField.objects.filter(section__form=form, element__code__in=CELL_ELEMENTS).exists():
            continue
        last = (
            FormSection.objects.filter(form=form).order_by("-order").values_list("order", flat=True).first()
        )
        section = FormSection.objects.create(form=form, title=CELL_SECTION, order=(last or 0) + 1)
        for field_order, code in enumerate(CELL_ELEMENTS, start=1):
            FormField.objects.create(section=section, element=elements[code], order=field_order)
