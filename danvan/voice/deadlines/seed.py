"""The statutory deadline rules in force, as data (data migration voice/0002; tests call `ensure`).

Checked against the law texts:

- Luật Khiếu nại 2011 (số 02/2011/QH13, in force from 01/7/2012) counts "ngày": calendar days.
  Điều 27: accept within 10 days of receiving a complaint within one's competence. Điều 28: first
  resolution within 30 days of acceptance, 45 if complex; in remote areas 45, 60 if complex.
  Điều 36: accept a second complaint within 10 days of receiving it. Điều 37: second resolution within 45 days, 60 if complex; remote areas 60, 70 if complex.
- Luật Tố cáo 2018 (số 25/2018/QH14, in force from 01/01/2019). Điều 24 khoản 1: within 7
  working days of receipt, register, classify, check the denouncer and the conditions, then decide
  on acceptance; up to 10 working days when checks are needed in several places or are delegated.
  Điều 24 khoản 2: a denunciation outside one's competence is transferred within 5 working days of
  receipt. Điều 29 khoản 3: within 5 working days of the decision to accept, notify the denouncer.
  Điều 30: resolve within 30 days ("ngày": calendar days) of acceptance; a complex case may be
  extended once, an especially complex one twice, by at most 30 days each, decided in writing
  (criteria in Nghị định 31/2019/NĐ-CP, Điều 3).

Luật 136/2025/QH15 amends these laws from 01/7/2026; its new limits are not seeded here (they
could not be verified). When they are, an administrator closes these rules on 30/6/2026 and adds
the new ones from 01/7/2026.

`ensure` adds what is missing by code and never overwrites what administrators changed.
"""

import datetime

KN_2011 = datetime.date(2012, 7, 1)
TC_2018 = datetime.date(2019, 1, 1)

RULES = [
    {
        "code": "KN1-ACCEPT",
        "procedure": "complaint_first",
        "step": "accept",
        "counted_from": "received",
        "days": 10,
        "day_unit": "calendar",
        "effective_from": KN_2011,
        "citation": "Luật Khiếu nại 2011, Điều 27",
        "note": "Thụ lý giải quyết khiếu nại lần đầu trong 10 ngày kể từ ngày nhận được khiếu nại thuộc thẩm quyền.",
    },
    {
        "code": "KN1-RESOLVE",
        "procedure": "complaint_first",
        "step": "resolve",
        "counted_from": "accepted",
        "days": 30,
        "day_unit": "calendar",
        "days_complex": 45,
        "days_remote": 45,
        "days_complex_remote": 60,
        "effective_from": KN_2011,
        "citation": "Luật Khiếu nại 2011, Điều 28",
        "note": "Không quá 30 ngày kể từ ngày thụ lý, vụ việc phức tạp không quá 45 ngày; "
        "vùng sâu, vùng xa đi lại khó khăn 45 ngày, phức tạp 60 ngày.",
    },
    {
        "code": "KN2-ACCEPT",
        "procedure": "complaint_second",
        "step": "accept",
        "counted_from": "received",
        "days": 10,
        "day_unit": "calendar",
        "effective_from": KN_2011,
        "citation": "Luật Khiếu nại 2011, Điều 36",
        "note": "Thụ lý giải quyết khiếu nại lần hai trong 10 ngày kể từ ngày nhận được khiếu nại thuộc thẩm quyền.",
    },
    {
        "code": "KN2-RESOLVE",
        "procedure": "complaint_second",
        "step": "resolve",
        "counted_from": "accepted",
        "days": 45,
        "day_unit": "calendar",
        "days_complex": 60,
        "days_remote": 60,
        "days_complex_remote": 70,
        "effective_from": KN_2011,
        "citation": "Luật Khiếu nại 2011, Điều 37",
        "note": "Không quá 45 ngày kể từ ngày thụ lý, vụ việc phức tạp không quá 60 ngày; "
        "vùng sâu, vùng xa đi lại khó khăn 60 ngày, phức tạp 70 ngày.",
    },
    {
        "code": "TC-ACCEPT",
        "procedure": "denunciation",
        "step": "accept",
        "counted_from": "received",
        "days": 7,
        "day_unit": "working",
        "days_complex": 10,
        "effective_from": TC_2018,
        "citation": "Luật Tố cáo 2018, Điều 24 khoản 1",
        "note": "Trong 07 ngày làm việc kể từ ngày nhận được tố cáo: vào sổ, phân loại, xử lý ban đầu, kiểm tra "
        "điều kiện thụ lý. Phải kiểm tra, xác minh tại nhiều địa điểm hoặc ủy quyền kiểm tra, xác minh "
        "(ghi là “phức tạp”): không quá 10 ngày làm việc.",
    },
    {
        "code": "TC-TRANSFER",
        "procedure": "denunciation",
        "step": "transfer",
        "counted_from": "received",
        "days": 5,
        "day_unit": "working",
        "effective_from": TC_2018,
        "citation": "Luật Tố cáo 2018, Điều 24 khoản 2",
        "note": "Tố cáo không thuộc thẩm quyền: chuyển đến người có thẩm quyền và thông báo cho người tố cáo "
        "trong 05 ngày làm việc kể từ ngày nhận được.",
    },
    {
        "code": "TC-NOTIFY",
        "procedure": "denunciation",
        "step": "notify",
        "counted_from": "accepted",
        "days": 5,
        "day_unit": "working",
        "effective_from": TC_2018,
        "citation": "Luật Tố cáo 2018, Điều 29 khoản 3",
        "note": "Thông báo cho người tố cáo và thông báo nội dung tố cáo cho người bị tố cáo trong 05 ngày làm việc "
        "kể từ ngày ra quyết định thụ lý.",
    },
    {
        "code": "TC-RESOLVE",
        "procedure": "denunciation",
        "step": "resolve",
        "counted_from": "accepted",
        "days": 30,
        "day_unit": "calendar",
        "extensions_allowed": 2,
        "extension_days": 30,
        "effective_from": TC_2018,
        "citation": "Luật Tố cáo 2018, Điều 30; Nghị định 31/2019/NĐ-CP, Điều 3",
        "note": "Không quá 30 ngày kể từ ngày thụ lý. Vụ việc phức tạp gia hạn một lần, đặc biệt phức tạp gia hạn "
        "hai lần, mỗi lần không quá 30 ngày, bằng quyết định bằng văn bản.",
    },
]


def ensure(rule_model) -> None:
    """Create the seeded rules that are missing (the model is passed in: migrations use the historical one)."""
    for spec in RULES:
        fields = {key: value for key, value in spec.items() if key != "code"}
        rule_model.objects.get_or_create(code=spec["code"], defaults=fields)
