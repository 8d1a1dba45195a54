"""Assignments: who must do what, with whom, by when and how often (`tasks`).

"Giao X (chủ trì,) phối hợp với Y …", "X chủ trì …", "đề nghị X …", the items of "Tổ chức thực hiện" that
open with the bodies carrying them out, and recurring reports; the lead ends where the coordinating bodies
or the verb start. Deadlines and recurrence come from `recurrence`."""

from __future__ import annotations

import datetime
import re

from danvan.core.text import search_key

from .parts import AUTHORITY_RE, NOI_NHAN_RE
from .recurrence import (
    RECURRING_OPENER_RE,
    due_on,
    due_parts,
    is_ongoing,
    is_recurring_report,
    recurrence_of,
)
from .text import clause_text, clean_text, is_upper, split_sentences

# Verbs that end the name of a lead or coordinating body in an assignment (case-sensitive: "Ban Tổ chức"
# is a body, "tổ chức" a verb).
_VERBS = [
    "tham mưu",
    "xây dựng",
    "thực hiện",
    "tổ chức",
    "kiểm tra",
    "theo dõi",
    "hướng dẫn",
    "lãnh đạo",
    "chỉ đạo",
    "nghiên cứu",
    "triển khai",
    "rà soát",
    "báo cáo",
    "đề xuất",
    "cụ thể hóa",
    "cụ thể hoá",
    "tuyên truyền",
    "phát hiện",
    "làm tốt",
    "tăng cường",
    "thường xuyên",
    "giúp",
    "truy cập",
    "quán triệt",
    "đôn đốc",
    "giám sát",
    "ban hành",
    "soạn thảo",
    "tiếp tục",
    "chủ động",
    "hoàn thành",
    "tổng hợp",
    "cập nhật",
    "phổ biến",
    "đánh giá",
    "để",
    "nhằm",
    "trong việc",
    "theo",
    "trước",
]


def _verbs_re(verbs: list[str]) -> re.Pattern:
    return re.compile(
        r"(?:^|\s)(?:"
        + "|".join(
            # "các tổ chức đoàn thể" names bodies; "tổ chức hội nghị" is the verb.
            r"(?<!các )(?<!những )(?<!Các )(?<!Những )tổ chức" if v == "tổ chức" else re.escape(v)
            for v in verbs
        )
        + r")(?=\s|,|;|\.|$)"
    )


_VERB_RE = _verbs_re(_VERBS)
# Where the subject of a sentence ends ("Các đoàn thể chính trị - xã hội khối | căn cứ chức năng …").
_SUBJECT_STOP_RE = _verbs_re(
    [
        *_VERBS,
        "có trách nhiệm",
        "chịu trách nhiệm",
        "được phân công",
        "được giao",
        "căn cứ",
        "phải",
        "cần",
        "quan tâm",
        "bám sát",
        "xác định",
        "chủ trì",
        "phối hợp",
        "gửi",
        "chuẩn bị",
        "bố trí",
        "bảo đảm",
        "đảm bảo",
        "tập trung",
        "đẩy mạnh",
        "nâng cao",
        "duy trì",
        "vận động",
        "tham gia",
        "thông báo",
        "phân công",
        "phát động",
        "củng cố",
        "kiện toàn",
        "lựa chọn",
        "định kỳ",
        "làm",
        "đưa",
        "nắm",
        "có",
        "là",
    ]
)
# Heads of the names of bodies and office holders (lower case), and the words that make a head a verb or
# a noun instead ("ban hành", "hội nghị", "đoàn kết", "phòng, chống").
_BODY_HEADS = (
    "cấp ủy",
    "cấp uỷ",
    "ban",
    "văn phòng",
    "đảng ủy",
    "đảng uỷ",
    "đảng bộ",
    "chi bộ",
    "chi ủy",
    "sở",
    "ủy ban",
    "uỷ ban",
    "ubnd",
    "ubkt",
    "ubmttq",
    "mttq",
    "mặt trận",
    "đoàn thể",
    "đoàn",
    "chi đoàn",
    "hội",
    "chi hội",
    "công đoàn",
    "cơ quan",
    "đơn vị",
    "phòng",
    "trung tâm",
    "đồng chí",
    "đ/c",
    "ủy viên",
    "uỷ viên",
    "thủ trưởng",
    "người đứng đầu",
    "bí thư",
    "phó bí thư",
    "thường trực",
    "chính quyền",
    "tỉnh ủy",
    "huyện ủy",
    "thành ủy",
    "tỉnh đoàn",
    "giám đốc",
    "chủ tịch",
    "bộ phận",
    "ngành",
)
_NOT_AFTER_HEAD = {
    "ban": ("hành",),
    "hội": ("nghị", "thảo", "thi", "diễn", "nhập", "tụ", "họp"),
    "đoàn": ("kết",),
    "phòng": ("chống", "ngừa", "tránh", "cháy", "họp"),
    "sở": ("dĩ", "hữu", "thích", "trường"),
    "cơ quan": ("điểm",),
}
# Heads that are verbs or common nouns unless a determiner comes first ("Các tổ chức cơ sở đảng").
_DETERMINED_HEADS = (
    "tổ chức",
    "lãnh đạo",
    "cấp",
    "địa phương",
    "doanh nghiệp",
    "trường",
    "huyện",
    "xã",
    "phường",
)
# A heading that opens the section of assignments, and one that ends it.
_EXECUTION_HEADING_RE = re.compile(
    r"^(?:(?:[IVXLC]+|\d{1,2}|[A-Z]|Điều\s+\d+|Phần\s+[IVXLC\d]+)\s*[./):-]?\s*)?tổ chức thực hiện\s*[.:]?$",
    re.IGNORECASE,
)
_SECTION_HEADING_RE = re.compile(r"^(?:[IVXLC]+\s*[./):-]|Điều\s+\d+\s*[.:]|Phần\s+[IVXLC\d]+\b)\s*\S")
# Adverbials that open a sentence before its subject ("Hằng năm, các cơ quan … phối hợp với …").
_OPENERS_RE = re.compile(
    r"^(?:(?:Hằng|Hàng) (?:năm|quý|tháng)|Định kỳ|Trước mắt|Đồng thời|Ngoài ra|Trong (?:năm|quý) \S+)\s*,?\s*"
)
_LEAD_WORDS = {"các", "cấp", "mỗi", "từng", "đồng", "đ/c", "những", "toàn"}


def _cut_at_verb(text: str) -> str:
    # Not at the very start: "phối hợp với lãnh đạo cơ quan" names a body although "lãnh đạo" is a verb.
    match = _VERB_RE.search(text, 1)
    return (text[: match.start()] if match else text).strip(" ,;:.")


def _lead_ok(lead: str) -> bool:
    if not lead or len(lead) > 250 or search_key(lead).startswith(("chu tri", "phoi hop")):
        return False
    first = lead.split()[0]
    return first[:1].isupper() or first.lower() in _LEAD_WORDS


def _coordinating(text: str) -> list[str]:
    match = re.search(r"phối hợp (?:với|cùng)\s+(.*)$", text)
    if not match:
        return []
    names = _cut_at_verb(match.group(1))
    parts = re.split(r",\s*|\s+và\s+", names)
    return [part.strip(" ,;.") for part in parts if part.strip(" ,;.")]


def _is_body_name(subject: str) -> bool:
    """Does `subject` name bodies or office holders ("Các cấp ủy đảng trực thuộc", "Các ban và Văn phòng
    Đảng ủy khối", "Sở Nội vụ"), rather than open a sentence with a verb or a noun ("Tổ chức các phong
    trào …", "Kế hoạch này …")?"""
    words = subject.split()
    if not 1 <= len(words) <= 20 or re.search(r"[:;()\"“”]|\d{3,}", subject):
        return False
    lowered = subject.lower()
    determined = False
    while True:
        match = re.match(r"^(?:các|mỗi|từng|những|toàn thể|tất cả(?: các)?)\s+", lowered)
        if not match:
            break
        lowered = lowered[match.end() :]
        determined = True
    for head in _BODY_HEADS:
        if lowered == head or lowered.startswith(head + " ") or lowered.startswith(head + ","):
            rest = lowered[len(head) :].lstrip(" ,")
            return not any(
                rest == word or rest.startswith(word + " ") for word in _NOT_AFTER_HEAD.get(head, ())
            )
    return determined and lowered.startswith(_DETERMINED_HEADS)


def _subject_of(body: str) -> str | None:
    """The subject of a sentence "<bodies> <verb> …", when it names bodies (see `_is_body_name`)."""
    body = _OPENERS_RE.sub("", body)
    stop = _SUBJECT_STOP_RE.search(body, 1)
    if not stop:
        return None
    subject = body[: stop.start()].strip(" ,;:.")
    return subject if subject and _is_body_name(subject) else None


_ASSIGNMENT_WORDS = ("giao", "chủ trì", "phối hợp", "đề nghị")
# A paragraph outside "Tổ chức thực hiện" holds an assignment only if it has one of these (lower case).
_TASK_HINTS = (*_ASSIGNMENT_WORDS, "định kỳ", "hằng", "hàng", "mỗi", "tháng")
# An item of a numbered list: "1.", "1-", "1)" or "a)" (not a date: "15/12").
_ITEM_RE = re.compile(r"^(?:(\d{1,2})\s*[.)-]|([a-zđ])\))\s*(?=\S)")
# Items that name a part of the document rather than a task ("1. Mục tiêu", "2. Các chỉ tiêu chủ yếu").
_PART_NAMES = (
    "muc tieu",
    "muc dich",
    "yeu cau",
    "phuong huong",
    "quan diem",
    "chi tieu",
    "cac chi tieu",
    "nhiem vu",
    "ket qua",
    "tinh hinh",
    "thuc trang",
    "danh gia",
    "han che",
    "nguyen nhan",
    "bai hoc",
)
# The closing sentences of a document: "Trên đây là …", "Trong quá trình thực hiện, nếu có khó khăn, vướng
# mắc …": they pass the document on or say whom to call, they assign nothing of their own.
_CLOSING_RE = re.compile(
    r"^Trên đây là|\b(?:nếu có|nếu gặp|gặp)\s+(?:gì\s+)?(?:khó khăn,?\s*)?vướng mắc"
    r"|^Trong quá trình[^.]{0,80}\bcó (?:gì )?(?:khó khăn,?\s*)?vướng mắc",
    re.IGNORECASE,
)
# Leads that name nobody in particular ("các đơn vị", "cấp ủy các cấp"): a subject of this kind makes a
# sentence "X phối hợp với Y …" a description of the work, and "đề nghị X triển khai" a covering request.
_GENERIC_LEAD_RE = re.compile(
    r"^(?:các|những|mỗi|từng|toàn thể|tất cả|cả)\b|^cấp (?:ủy|uỷ) các cấp\b|^(?:cơ quan|đơn vị)\b", re.I
)
_COVERING_VERBS = ("trien khai", "quan triet", "nghien cuu", "truy cap", "thuc hien", "to chuc thuc hien")


def _is_tasks_heading(paragraph: str) -> bool:
    """ "III. NỘI DUNG, NHIỆM VỤ VÀ GIẢI PHÁP", "II. NHIỆM VỤ TRỌNG TÂM": the section of the tasks."""
    key = search_key(paragraph)
    return "nhiem vu" in key or "giai phap" in key


def _is_heading(paragraph: str) -> bool:
    return bool(_SECTION_HEADING_RE.match(paragraph)) or (
        len(paragraph) < 150 and len(paragraph.split()) <= 15 and is_upper(paragraph)
    )


def _body_start(paragraphs: list[str]) -> int:
    """Where the assignments may start: after a covering letter (a first document whose footer is
    followed by the document it passes on, as seed 004's công văn), and after the preamble of a document
    with sections ("Thực hiện …, Ban Thường vụ ban hành Kế hoạch …" before "I. MỤC ĐÍCH, YÊU CẦU")."""
    start = 0
    footer = next((i for i, p in enumerate(paragraphs) if NOI_NHAN_RE.match(p)), None)
    structure = [
        i
        for i, p in enumerate(paragraphs)
        if _SECTION_HEADING_RE.match(p) or _EXECUTION_HEADING_RE.match(p) or _ITEM_RE.match(p)
    ]
    if footer is not None and any(
        _SECTION_HEADING_RE.match(paragraphs[i]) or _EXECUTION_HEADING_RE.match(paragraphs[i])
        for i in structure
        if i > footer
    ):
        start = footer  # the covering letter ends at its "Nơi nhận"
        return next((i for i in structure if i > footer), start)
    if any(_SECTION_HEADING_RE.match(paragraphs[i]) for i in structure):
        start = structure[0]
    return start


def _task_sentences(text: str, items: bool = True):
    """(sentence, role) for every sentence that may hold an assignment: role "execution" for the first
    sentence of an item of "Tổ chức thực hiện", "item" for the first sentence of a numbered item of the
    section of tasks ("Nội dung, nhiệm vụ và giải pháp"; not when `items` is False), "closing" for a
    closing sentence, None for any other. Nothing of a covering letter, a preamble or a footer."""
    paragraphs = [paragraph.strip() for paragraph in text.split("\n")]
    section = None  # "execution", "tasks" or None
    item_kind = None  # the marker of the tasks section's items: a number or a letter
    in_footer = False
    for paragraph in paragraphs[_body_start(paragraphs) :]:
        if not paragraph:
            continue
        item = _ITEM_RE.match(paragraph)
        if NOI_NHAN_RE.match(paragraph) or AUTHORITY_RE.match(paragraph):
            in_footer, section = True, None
            continue
        if in_footer and not (item or _SECTION_HEADING_RE.match(paragraph)):
            continue  # the recipients, the signature
        in_footer = False
        if _EXECUTION_HEADING_RE.match(paragraph):
            section = "execution"
            continue
        heading = not item and _is_heading(paragraph)
        if heading:  # "Điều 2. Giao Sở Nội vụ chủ trì …" is read as well
            section = "tasks" if items and _is_tasks_heading(paragraph) else None
            item_kind = None
        role = None
        if heading:
            pass
        elif _CLOSING_RE.search(paragraph):
            role = "closing"
        elif section == "execution":
            role = "execution"
        elif section == "tasks" and item:
            kind = "number" if item.group(1) else "letter"
            item_kind = item_kind or kind
            text_key = search_key(paragraph[item.end() :])
            if kind == item_kind and not text_key.startswith(_PART_NAMES):
                role = "item"
        if role is None and not any(word in paragraph.lower() for word in _TASK_HINTS):
            continue  # nothing here can be an assignment
        for index, sentence in enumerate(split_sentences(paragraph)):
            yield sentence, (role if index == 0 or role == "closing" else None)


def _assignment_lead(body: str) -> str | None:
    """The lead of an explicit assignment: "Giao X …", "X chủ trì …", "X phối hợp với Y …", "đề nghị X …"."""
    lead = None
    giao = re.search(r"(?:^|[\s,;:(])(?<!được )(?<!bàn )(?<!chuyển )[Gg]iao\s+(?:cho\s+)?(\S.*)$", body)
    if giao and (giao.group(1)[:1].isupper() or giao.group(1).split()[0] in _LEAD_WORDS):
        rest = giao.group(1)
        stop = re.search(r"\s(?:chủ trì|phối hợp)\b", rest)
        lead = _cut_at_verb(rest[: stop.start()] if stop else rest)
    if lead is None:
        chair = re.search(r"^(.{3,200}?)\s+chủ trì\b", body)
        if chair:
            lead = chair.group(1).split(",")[-1].strip() if ", " in chair.group(1) else chair.group(1)
    if lead is None:
        partner = re.match(r"^(.{3,150}?)\s+phối hợp (?:với|cùng)\s", body)
        subject = _OPENERS_RE.sub("", partner.group(1)) if partner else ""
        if subject and not _VERB_RE.search(subject) and len(subject.split()) <= 15:
            lead = subject
    if lead is None:
        request = re.search(r"(?:^|[\s,;:])[Đđ]ề nghị\s+(\S.*)$", body)
        if request:
            lead = _cut_at_verb(request.group(1))
    return lead


def tasks(
    text: str, issued_on: datetime.date | None = None, *, cleaned: bool = False, items: bool = True
) -> list[dict]:
    """Every assignment: [{text, lead, coordinating, due, recurrence, ongoing}].

    Recognised: the numbered (or lettered) items of the section of tasks ("III. NỘI DUNG, NHIỆM VỤ VÀ GIẢI
    PHÁP"; its lead is the bodies its sentence opens with, or None; not when `items` is False, as for a
    report); "Giao X (chủ trì,) phối hợp với Y …", "X chủ trì(,) phối hợp với Y …", "X phối hợp với Y …"
    at the start of a sentence when X names a body ("Các cấp ủy phối hợp với …" describes the work),
    "đề nghị X …" (not the covering "đề nghị các đơn vị triển khai thực hiện"); under "Tổ chức thực
    hiện", every item (or paragraph) whose sentence opens with bodies and a verb ("Các cấp ủy đảng trực
    thuộc tổ chức nghiên cứu …"); and anywhere a recurring report ("Định kỳ 6 tháng, 1 năm đánh giá …,
    báo cáo về Đảng ủy khối"), whose lead is None when the sentence names nobody. Nothing from a covering
    letter, a preamble, a footer or a closing sentence ("Trên đây là …", "… khó khăn, vướng mắc …").

    The lead ends where the coordinating bodies or the verb start; `due` is the date after "trước",
    "chậm nhất", "hạn" (a day without a year is the first one after `issued_on`), or the last day of "trong
    quý III/2026", "trong tháng 10/2026", "trong năm 2026"; `recurrence` is None or {"every": "semiannual"
    | "annual", "day", "month"}; `ongoing` is True for a task done "thường xuyên" with no deadline.

    A recurring report without a day of its own takes the day of the document's yearly report deadline
    when the document gives exactly one, in a task or in its closing sentence ("… báo cáo kết quả … trước
    15 tháng 12 hàng năm").
    """
    found: list[dict] = []
    closing: list[dict] = []
    seen: set[str] = set()
    for sentence, role in _task_sentences(text if cleaned else clean_text(text), items):
        body = clause_text(sentence)
        if body in seen:
            continue
        task = _read(body, role, issued_on)
        if task is None:
            continue
        seen.add(body)
        (closing if role == "closing" else found).append(task)
    _inherit_report_deadline(found, closing, issued_on)
    return found


def _read(body: str, role: str | None, issued_on: datetime.date | None) -> dict | None:
    """The assignment in one sentence, or None when it holds none."""
    lowered = body.lower()
    lead = _assignment_lead(body) if any(word in lowered for word in _ASSIGNMENT_WORDS) else None
    if lead is not None and not _lead_ok(lead):
        lead = None
    if lead is not None and role is None and _is_covering(body, lead):
        lead = None
    if lead is None and role in ("execution", "item"):
        lead = _subject_of(body)
    recurring_report = lead is None and is_recurring_report(body)
    if recurring_report:
        lead = _subject_of(RECURRING_OPENER_RE.sub("", body, count=1).lstrip(" ,"))
    if lead is None and not recurring_report and role not in ("item", "closing"):
        return None
    parts = due_parts(body)
    recurrence = recurrence_of(body, parts)
    due = due_on(parts, issued_on)
    return {
        "text": body,
        "lead": lead.strip(" ,;:.") if lead else None,
        "coordinating": _coordinating(body),
        "due": due,
        "recurrence": recurrence,
        "ongoing": due is None and recurrence is None and is_ongoing(body),
    }


def _is_covering(body: str, lead: str) -> bool:
    """ "X phối hợp với Y …" with X naming nobody in particular ("Các cấp ủy phối hợp với lãnh đạo cơ
    quan …": how the work is done), or "đề nghị các đơn vị … nghiên cứu, quán triệt và triển khai thực
    hiện" (a covering request): no assignment of its own."""
    if not _GENERIC_LEAD_RE.match(lead):
        return False
    key = search_key(body)
    if re.search(r"(?:^|[\s,;:])[Gg]iao\s", body) or " chu tri" in f" {key}":
        return False
    parts = due_parts(body)
    if "de nghi" in key:
        rest = key.split("de nghi", 1)[1]
        return any(verb in rest for verb in _COVERING_VERBS) and parts is None
    return recurrence_of(body, parts) is None  # "Hằng năm, các cơ quan … phối hợp với …" is a duty


def _inherit_report_deadline(found: list[dict], closing: list[dict], issued_on: datetime.date | None) -> None:
    def is_report(task):
        return "bao cao" in search_key(task["text"])

    deadlines = {
        (task["recurrence"]["day"], task["recurrence"]["month"])
        for task in [*found, *closing]
        if task["recurrence"]
        and task["recurrence"]["day"]
        and task["recurrence"]["every"] == "annual"
        and is_report(task)
    }
    if len(deadlines) != 1:
        return
    ((day, month),) = deadlines
    for task in found:
        recurrence = task["recurrence"]
        if recurrence and recurrence["day"] is None and is_report(task):
            recurrence["day"], recurrence["month"] = day, month
            task["due"] = task["due"] or due_on((str(day), str(month), None, True), issued_on)
