"""Demo evaluation scorecard and a year (2025) of evaluation of the bloc's units (issue 15, items 3–4).

The scorecard follows seed 004's targets (mobilisation lead assigned, coordination regulation, staff in
mass organisations, thematic cell meetings, study of directives, reports on time, evaluation every 6
months and every year reported before 15/12) and totals 100: three criteria are computed from the report
figures (MOBILISATION_LEAD_RATE, COORDINATION_REGULATION_RATE, CELL_MEETING_RATE), the others
scored by hand. The units directly below the bloc are evaluated for 2025 at several stages: most
classified (some tied, one lowered with a reason), some reviewed, some submitted, one still assessing.
"""

from decimal import Decimal

from django.db import transaction

CARD = "Bộ tiêu chí đánh giá công tác dân vận của tổ chức cơ sở đảng"
SECTIONS = [
    (
        "I. Lãnh đạo, chỉ đạo công tác dân vận",
        [
            (
                "Cấp ủy phân công cấp ủy viên phụ trách công tác dân vận",
                10,
                "indicator_met",
                "MOBILISATION_LEAD_RATE",
            ),
            (
                "Ban hành và thực hiện quy chế phối hợp với chính quyền, đoàn thể",
                10,
                "indicator_met",
                "COORDINATION_REGULATION_RATE",
            ),
            (
                "Học tập, quán triệt các văn bản của cấp trên về công tác dân vận",
                10,
                "manual",
                "",
            ),
        ],
    ),
    (
        "II. Xây dựng tổ chức đoàn thể và tập hợp đoàn viên, hội viên",
        [
            (
                "Tỷ lệ cán bộ, công chức, viên chức, người lao động tham gia đoàn thể đạt chỉ tiêu",
                15,
                "manual",
                "",
            ),
            (
                "Chi bộ sinh hoạt chuyên đề về công tác dân vận ít nhất một lần trong năm",
                15,
                "indicator_met",
                "CELL_MEETING_RATE",
            ),
            ("Thực hiện quy chế dân chủ ở cơ sở, đối thoại với cán bộ, nhân dân", 15, "manual", ""),
        ],
    ),
    (
        "III. Phong trào thi đua và chế độ báo cáo",
        [
            ("Xây dựng, nhân rộng mô hình “Dân vận khéo”", 10, "manual", ""),
            ("Sơ kết 6 tháng, tổng kết năm, báo cáo về Đảng ủy Khối trước ngày 15/12", 15, "manual", ""),
        ],
    ),
]
# (manual points per manual criterion, in order) for the units evaluated, and how far each goes.
PLANS = [
    ((10, 14, 14, 9, 14), "final"),
    ((10, 15, 14, 10, 14), "final"),
    ((10, 14, 14, 9, 14), "final"),
    ((7, 10, 9, 6, 10), "final_lower"),
    ((8, 12, 11, 7, 12), "reviewed"),
    ((8, 11, 12, 8, 13), "submitted"),
    ((6, 9, 10, 5, 12), "draft"),
]


def _scorecard(by):
    from danvan.emulation.evaluations import services
    from danvan.emulation.evaluations.models import Scorecard

    card = Scorecard.objects.filter(title=CARD).first()
    if card is not None:
        return card
    card = services.scorecard_create(title=CARD, applies_from=2025, unit_types=[], by=by)
    for order, (title, criteria) in enumerate(SECTIONS, start=1):
        section = services.section_add(scorecard=card, title=title, order=order, by=by)
        for index, (text, points, method, code) in enumerate(criteria, start=1):
            spec = services.CriterionSpec(
                text=text, max_points=Decimal(points), method=method, code=code, order=index
            )
            services.criterion_add(section=section, spec=spec, by=by)
    return services.scorecard_activate(scorecard=card, active=True, by=by)


def load() -> int:
    """Create the scorecard and the 2025 evaluations unless any evaluation exists; returns how many."""
    import datetime

    from danvan.accounts.actors import System
    from danvan.emulation.evaluations import selectors, services
    from danvan.emulation.evaluations.defaults import ensure_thresholds
    from danvan.emulation.evaluations.models import COMPLETION_FOR, Evaluation, Thresholds
    from danvan.orgs.models import Unit
    from danvan.orgs.selectors import versions_on

    from .data import ROOT_CODE

    ensure_thresholds(Thresholds)  # a flushed database has lost what the data migration wrote
    if Evaluation.objects.exists():
        return 0
    root = Unit.objects.filter(code=ROOT_CODE).first()
    if root is None:
        return 0
    by = System("demo")
    made = 0
    with transaction.atomic():
        card = _scorecard(by)
        units = [
            v.unit
            for v in versions_on(datetime.date(2025, 12, 31))
            .filter(parent=root)
            .select_related("unit")
            .order_by("path")
        ]
        for unit, (manual, stage) in zip(units, PLANS, strict=False):
            evaluation = services.evaluation_start(unit=unit, period="2025", by=by, scorecard=card)
            rows = list(
                evaluation.scores.select_related("criterion").order_by(
                    "criterion__section__order", "criterion__order"
                )
            )
            hand = iter(manual)
            inputs = []
            for score in rows:
                if score.criterion.computed:
                    # Figures not prepared for the period: the demo records what the unit states, with its note.
                    points = (
                        score.self_points if score.self_points is not None else score.criterion.max_points
                    )
                    inputs.append(
                        services.ScoreInput(
                            criterion_id=score.criterion_id, note="Theo số liệu báo cáo năm 2025"
                        )
                    )
                    if score.self_points is None:
                        score.self_points = points
                        score.save(update_fields=["self_points"])
                else:
                    inputs.append(
                        services.ScoreInput(
                            criterion_id=score.criterion_id,
                            points=Decimal(next(hand)),
                            evidence="Báo cáo tổng kết năm 2025",
                        )
                    )
            services.self_assess(evaluation=evaluation, scores=inputs, by=by)
            made += 1
            if stage == "draft":
                continue
            services.evaluation_submit(evaluation=evaluation, by=by)
            if stage == "submitted":
                continue
            review = [
                services.ReviewInput(criterion_id=s.criterion_id, points=s.self_points)
                for s in evaluation.scores.all()
            ]
            evaluation = services.evaluation_review(evaluation=evaluation, scores=review, by=by)
            if stage == "reviewed":
                continue
            if stage == "final_lower" and evaluation.proposed != "failed":
                levels = selectors.allowed_levels(evaluation)
                services.evaluation_classify(
                    evaluation=evaluation,
                    classification=levels[1] if len(levels) > 1 else levels[0],
                    completion=COMPLETION_FOR[levels[1] if len(levels) > 1 else levels[0]],
                    reason="Còn để xảy ra đơn thư vượt cấp kéo dài trong năm",
                    by=by,
                )
            else:
                services.evaluation_classify(
                    evaluation=evaluation,
                    classification=evaluation.proposed,
                    completion=COMPLETION_FOR[evaluation.proposed],
                    by=by,
                )
    return made
