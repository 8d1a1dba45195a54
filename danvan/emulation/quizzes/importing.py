"""Reading questions from an uploaded file, for `services.questions_import` (which checks and saves).

XLSX or CSV (through `core.tables`): a header row with the columns, in any order and case,
"Câu hỏi", "Phương án A" … "Phương án F" (at least two), "Đáp án" ("A" or "A, C"), "Chủ đề",
"Mức độ" (dễ / trung bình / khó), and optionally "Nguồn", "Giải thích". Each problem names its row.

DOCX (python-docx), the layout question banks are usually typed in:

    Câu 1: Nội dung câu hỏi …            (also "Câu 1.", "Câu 1 -")
    A. Phương án …                        (also "A)", "a.")
    *B. Phương án đúng …                  (a right choice: an asterisk before the letter, or the
                                           whole choice in bold, or a line "Đáp án: B" / "Đáp án: A, C")
    Đáp án: B
    Chủ đề: …   Mức độ: dễ   Nguồn: …   Giải thích: …   (optional lines; a heading "Chủ đề: …" before
                                                         questions sets the topic of those that follow)

What is not read: tables inside the document, numbered lists made by Word's automatic numbering (the
letters are not in the text), underlined or highlighted right answers, images. Lines of text between a
question and its first choice are taken as the rest of the question.
"""

import io
import re
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from danvan.core import tables, uploads
from danvan.core.tables import FileRejected, RowError, cell_text, map_header

from .models import Difficulty
from .services import ChoiceSpec, QuestionSpec

LETTERS = "ABCDEF"
QUESTION = "câu hỏi"
ANSWER = "đáp án"
TOPIC = "chủ đề"
LEVEL = "mức độ"
SOURCE = "nguồn"
EXPLANATION = "giải thích"
CHOICE_COLUMNS = tuple(f"phương án {letter.lower()}" for letter in LETTERS)
REQUIRED = (QUESTION, CHOICE_COLUMNS[0], CHOICE_COLUMNS[1], ANSWER, TOPIC, LEVEL)
OPTIONAL = (*CHOICE_COLUMNS[2:], SOURCE, EXPLANATION)
HEADINGS = (
    "Câu hỏi",
    *(f"Phương án {letter}" for letter in LETTERS),
    "Đáp án",
    "Chủ đề",
    "Mức độ",
    "Nguồn",
    "Giải thích",
)

LEVEL_WORDS = {
    "dễ": Difficulty.EASY,
    "de": Difficulty.EASY,
    "easy": Difficulty.EASY,
    "trung bình": Difficulty.MEDIUM,
    "trung binh": Difficulty.MEDIUM,
    "tb": Difficulty.MEDIUM,
    "medium": Difficulty.MEDIUM,
    "khó": Difficulty.HARD,
    "kho": Difficulty.HARD,
    "hard": Difficulty.HARD,
}
KINDS = (uploads.XLSX, uploads.CSV, uploads.DOCX)
DOCX_MAX_PARAGRAPHS = 20_000


def difficulty_of(text: str) -> str:
    """The difficulty a cell or line names ("" when it names none)."""
    return LEVEL_WORDS.get(" ".join(text.lower().split()), "")


def letters_of(text: str) -> set[str] | None:
    """The letters of an answer ("B", "A, C", "A;C", "AC"); None when it is not such a list."""
    cleaned = re.sub(r"[\s,;/+&]|và", "", text.upper())
    if not cleaned or any(ch not in LETTERS for ch in cleaned):
        return None
    return set(cleaned)


class ImportProblems(Exception):
    """The file was read but some of its questions cannot be taken: one message per problem."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


# --------------------------------------------------------------------------- tables


def read_specs(checked: uploads.Checked) -> list[QuestionSpec]:
    """The questions of a checked upload (XLSX, CSV or DOCX). Raises FileRejected when the file cannot be
    read, ImportProblems with a message per row when some rows are wrong."""
    if checked.kind is uploads.DOCX:
        return docx_specs(checked.content)
    rows = tables.read_table(checked)
    header_row, header_cells = rows[0]
    header = map_header(header_row, header_cells, required=REQUIRED, optional=OPTIONAL)
    specs: list[QuestionSpec] = []
    problems: list[str] = []
    for number, cells in rows[1:]:
        values = {name: cell_text(value) for name, value in header.values(cells).items()}
        texts = [values.get(column, "") or "" for column in CHOICE_COLUMNS]
        answer = values.get(ANSWER, "")
        letters = letters_of(answer)
        level = difficulty_of(values.get(LEVEL, ""))
        wrong = []
        if letters is None:
            wrong.append(
                RowError(number, "Đáp án", _("Write the letters of the right choices, e.g. “A” or “A, C”."))
            )
        elif any(not texts[LETTERS.index(letter)] for letter in letters):
            wrong.append(RowError(number, "Đáp án", _("The answer names a choice that is empty.")))
        if not level:
            wrong.append(RowError(number, "Mức độ", _("Write the difficulty: dễ, trung bình or khó.")))
        if wrong:
            problems.extend(str(error) for error in wrong)
            continue
        choices = [
            ChoiceSpec(text=text, correct=LETTERS[index] in (letters or set()))
            for index, text in enumerate(texts)
            if text
        ]
        specs.append(
            QuestionSpec(
                text=values.get(QUESTION, ""),
                topic=values.get(TOPIC, ""),
                difficulty=level,
                choices=choices,
                source=values.get(SOURCE, "") or "",
                explanation=values.get(EXPLANATION, "") or "",
                row=number,
            )
        )
    if problems:
        raise ImportProblems(problems)
    if not specs:
        raise FileRejected(_("The file holds no question."))
    return specs


def sample_rows() -> list[list[str]]:
    return [
        [
            "Luật Thực hiện dân chủ ở cơ sở được Quốc hội thông qua năm nào?",
            "2020",
            "2022",
            "2023",
            "2025",
            "",
            "",
            "B",
            "Dân chủ ở cơ sở",
            "Dễ",
            "Luật số 10/2022/QH15",
            "Luật được thông qua ngày 10/11/2022, có hiệu lực từ 01/7/2023.",
        ],
        [
            "Những nội dung nào sau đây là nội dung hòa giải ở cơ sở? (chọn các đáp án đúng)",
            "Mâu thuẫn giữa các bên do khác nhau về quan niệm sống, lối sống",
            "Tranh chấp phát sinh từ quan hệ dân sự",
            "Vi phạm pháp luật hình sự không thuộc trường hợp được hòa giải",
            "",
            "",
            "",
            "A, B",
            "Hòa giải ở cơ sở",
            "Trung bình",
            "Luật Hòa giải ở cơ sở 2013, Điều 3",
            "",
        ],
    ]


# --------------------------------------------------------------------------- DOCX

_QUESTION_LINE = re.compile(r"^\s*câu\s*(?:hỏi\s*)?(\d+)\s*[:.)\-–]\s*(.*)$", re.IGNORECASE)
_CHOICE_LINE = re.compile(r"^\s*(\*?)\s*([A-Fa-f])\s*[.)]\s*(\*?)\s*(.+)$")
_FIELD_LINE = re.compile(
    r"^\s*(đáp án(?: đúng)?|chủ đề|mức độ|nguồn|giải thích)\s*[:：]\s*(.*)$", re.IGNORECASE
)


def _paragraphs(content: bytes) -> list[tuple[str, bool]]:
    """(text, every run with text is bold) of each paragraph of a DOCX."""
    try:
        import docx  # python-docx

        document = docx.Document(io.BytesIO(content))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise FileRejected(_("The file is not a valid Word (DOCX) document.")) from error
    found = []
    for paragraph in document.paragraphs[:DOCX_MAX_PARAGRAPHS]:
        runs = [run for run in paragraph.runs if run.text.strip()]
        bold = bool(runs) and all(bool(run.bold) for run in runs)
        found.append((paragraph.text, bold))
    return found


def docx_specs(content: bytes) -> list[QuestionSpec]:
    """The questions of a DOCX typed in the usual layout (see the module's docstring)."""
    return parse_lines(_paragraphs(content))


def parse_lines(lines: list[tuple[str, bool]]) -> list[QuestionSpec]:
    """The questions of a document's lines ((text, bold)); numbered problems per question line."""
    specs: list[QuestionSpec] = []
    problems: list[str] = []
    topic = ""
    current: dict | None = None

    def close():
        if current is None:
            return
        line = current["line"]
        marked = [choice for choice in current["choices"] if choice[2]]
        letters = current["answer"]
        if letters is None and not marked:
            problems.append(
                _("Question at line %(row)s: no right answer is marked (“Đáp án: B”, an asterisk or bold).")
                % {"row": line}
            )
            return
        given = {choice[0] for choice in current["choices"]}
        if letters is not None and not letters <= given:
            problems.append(
                _("Question at line %(row)s: the answer names a choice that is empty.") % {"row": line}
            )
            return
        right = letters if letters is not None else {choice[0] for choice in marked}
        level = current["level"]
        if not level:
            problems.append(
                _("Question at line %(row)s: write its difficulty (“Mức độ: dễ”, “trung bình” or “khó”).")
                % {"row": line}
            )
            return
        specs.append(
            QuestionSpec(
                text="\n".join(current["text"]),
                topic=current["topic"] or topic,
                difficulty=level,
                choices=[
                    ChoiceSpec(text=text, correct=letter in right)
                    for letter, text, _marked in current["choices"]
                ],
                source=current["source"],
                explanation=current["explanation"],
                row=line,
            )
        )

    for number, (raw, bold) in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            continue
        question = _QUESTION_LINE.match(text)
        if question:
            close()
            current = {
                "line": number,
                "text": [question.group(2).strip()] if question.group(2).strip() else [],
                "choices": [],
                "answer": None,
                "topic": "",
                "level": "",
                "source": "",
                "explanation": "",
            }
            continue
        found = _FIELD_LINE.match(text)
        if found:
            name, value = found.group(1).lower(), found.group(2).strip()
            if current is None:
                if name == "chủ đề":
                    topic = value
                continue
            if name.startswith("đáp án"):
                current["answer"] = letters_of(value)
                if current["answer"] is None:
                    problems.append(
                        _("Question at line %(row)s: write the answer as letters, e.g. “Đáp án: B”.")
                        % {"row": number}
                    )
                    current["answer"] = set()
            elif name == "chủ đề":
                current["topic"] = value
            elif name == "mức độ":
                current["level"] = difficulty_of(value)
            elif name == "nguồn":
                current["source"] = value
            else:
                current["explanation"] = value
            continue
        if current is None:
            continue
        choice = _CHOICE_LINE.match(text)
        if choice and (not current["choices"] or choice.group(2).upper() > current["choices"][-1][0]):
            marked = bool(choice.group(1) or choice.group(3) or bold)
            current["choices"].append((choice.group(2).upper(), choice.group(4).strip(), marked))
        elif not current["choices"]:
            current["text"].append(text)
        elif current["explanation"]:
            current["explanation"] += "\n" + text
    close()
    if problems:
        raise ImportProblems(problems)
    if not specs:
        raise FileRejected(
            _("No question was found: type each as “Câu 1: …” followed by “A. …”, “B. …” lines.")
        )
    return specs


def problems_of(error: ValidationError) -> list[str]:
    """The messages of a service's refusal, one per line."""
    return list(error.messages)
