"""`danvan parse-document FILE [--json]`: the fields read from a .txt, .docx or .pdf document.

With --json it prints one JSON object (keys of `parsing.ParsedDocument.as_dict`), otherwise a readable
Vietnamese summary. An unreadable, empty, damaged or unsupported file ends with a Vietnamese error and
a non-zero exit code.
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from danvan.core.dates import day_text, parse_day
from danvan.directives import extract, parsing

MAX_BYTES = 50 * 1024 * 1024


class Command(BaseCommand):
    help = "Đọc các trường của một văn bản (.txt, .docx, .pdf): số, ký hiệu, cơ quan ban hành, nhiệm vụ…"

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp văn bản (.txt, .docx hoặc .pdf).")
        parser.add_argument("--json", action="store_true", help="In một đối tượng JSON.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            if not path.is_file():
                raise CommandError(_("File not found: %(path)s") % {"path": path})
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(_("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // 2**20})
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read the file %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from None
        try:
            text = extract.text_of(path.name, content)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        document = parsing.parse(text)
        data = document.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(summary(data))


def _value(value) -> str:
    return str(value) if value not in (None, "") else "—"


def _date(iso: str | None) -> str:
    return day_text(parse_day(iso)) or "—"


def summary(data: dict) -> str:
    """A readable Vietnamese summary of the parsed fields."""
    type_name = parsing.DOCUMENT_TYPES.get(data["type"] or "", data["type"])
    lines = [
        f"{_('Type')}: {_value(type_name)}" + (f" ({data['type']})" if data["type"] else ""),
        f"{_('Number and symbol')}: {_value(data['number_symbol'])}",
        f"{_('Issuing body')}: {_value(data['issuer'])}",
        f"{_('Parent body')}: {_value(data['parent_issuer'])}",
        f"{_('Place and date')}: {_value(data['place'])}, {_date(data['issued_on'])}",
        f"{_('Subject')}: {_value(data['subject'])}",
        f"{_('Signing authority')}: {_value(data['signing_authority'])}",
        f"{_('Signer')}: {_value(data['signer_title'])} {_value(data['signer'])}",
    ]
    for label, items in ((_("Addressees"), data["addressees"]), (_("Recipients"), data["recipients"])):
        lines.append(f"{label}: {len(items)}")
        lines += [f"  - {item}" for item in items]
    lines.append(f"{_('Cited documents')}: {len(data['references'])}")
    for reference in data["references"]:
        date = f" {_('dated')} {_date(reference['date'])}" if reference["date"] else ""
        lines.append(f"  - {reference['number_symbol']}{date}")
    lines.append(f"{_('Targets')}: {len(data['targets'])}")
    for target in data["targets"]:
        percent = str(target["percent"]).replace(".", ",")
        lines.append(f"  - {percent} %: {target['text']}")
    lines.append(f"{_('Tasks')}: {len(data['tasks'])}")
    for task in data["tasks"]:
        lines.append(f"  - {_('Lead body')}: {_value(task['lead'])}")
        if task["coordinating"]:
            lines.append(f"    {_('Coordinating bodies')}: {', '.join(task['coordinating'])}")
        if task["due"]:
            lines.append(f"    {_('Due')}: {_date(task['due'])}")
        recurrence = task.get("recurrence")
        if recurrence:
            every = _("every six months") if recurrence["every"] == "semiannual" else _("every year")
            day = f" ({recurrence['day']:02d}/{recurrence['month']:02d})" if recurrence["day"] else ""
            lines.append(f"    {_('Recurring')}: {every}{day}")
        lines.append(f"    {task['text']}")
    return "\n".join(lines)
