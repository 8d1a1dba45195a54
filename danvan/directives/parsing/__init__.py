r"""Read the fields of a Vietnamese administrative document from its plain text.

`parse(text)` returns a `ParsedDocument`; `.as_dict()` gives the JSON shape of `danvan parse-document`.
The parser is a set of forgiving heuristics over lines, never a grammar: it must not raise on any text,
and a field it cannot find is None (or an empty list).

What it understands (see tests/documents/ for examples of each):

- party documents ("ĐẢNG CỘNG SẢN VIỆT NAM", number "84-CV/ĐU") and state documents ("CỘNG HÒA XÃ HỘI
  CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc", number "04/2015/NĐ-CP" or "1536/SNV-CCVC");
- the two header columns flattened into one line or into separate blocks in either order, as a PDF text
  layer or a DOCX table gives them: a line is cut at the mottos (even glued to the next column), before
  "Số …" and "V/v", after the date of "Place, ngày …", and between two names of bodies joined on one line
  ("ĐẢNG BỘ TỈNH ĐỒNG NAI ĐẢNG ỦY KHỐI …"); the remaining upper-case parts are the issuing bodies (the
  last one is the issuer, the one before it the parent);
- "Số:" or "Số", spaces around the hyphen ("31 - TB/ĐU" is stored "31-TB/ĐU"), dates "ngày 6 tháng 6
  năm 2014" or "ngày 05/6/2025" with any spacing, "V/v" or "về việc" in any case, markdown left by
  converters (``*x*``, ``**x**``, ``_x_``, ``__x__``, ``[x]{.underline}``, escapes ``\-``), paragraphs cut
  in two by a page break;
- signing blocks "T/M ĐẢNG ỦY / PHÓ BÍ THƯ", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "TL.", "TUQ.", "Q." written
  as Nghị định 30/2020 writes them ("TM.", "T.M", "T/M." become "T/M", "K/T" becomes "KT."; a chain such
  as "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH" is one authority, the lines joined by a space), also when the
  footer's two columns were flattened ("Nơi nhận: T/M ĐẢNG ỦY", the title and the name among the
  recipients);
- assignments (the numbered items of the section of tasks "Nội dung, nhiệm vụ và giải pháp", "Giao X
  chủ trì, phối hợp với Y …", the items of "Tổ chức thực hiện" that open with the bodies that carry them
  out, recurring reports "Định kỳ 6 tháng, 1 năm … báo cáo …") with their lead, coordinating bodies,
  deadline ("trước ngày 15/12", "trong quý III/2026"), recurrence and whether they are ongoing
  ("thường xuyên") (see `tasks`).

A file holding several documents (seed 004: a công văn, then the body of the programme it passes on)
is read this way: the header and footer fields (type, number, issuer, place, date, subject, addressees,
recipients, signature) are those of the FIRST document, taken from the first occurrence of each part;
references and targets are collected from the WHOLE text, because the attached document is what the
units must carry out; tasks too, except from the covering letter (the first document, when another follows
its footer), a preamble, a footer and closing sentences ("Trên đây là …", "… khó khăn, vướng mắc …").

The package, by responsibility (each module imports only those above it, so there is no cycle):

- `text`: clean-up of any input (NFC, spaces, markdown, page breaks), dates, list items, sentences;
- `kinds`: document types, numbers and symbols, the type a number or a title gives;
- `parts`: the lines that open the addressees, the recipients and the signature, and their lists;
- `result`: `ParsedDocument`, the result and its JSON shape;
- `header`: issuing bodies, number and symbol, place and date, type and subject;
- `signature`: the signing authority, the signer's title and name, a flattened footer's recipients;
- `citations`: references to other documents;
- `commitments`: targets with a percentage;
- `recurrence`: deadlines and how an assignment recurs;
- `assignments`: the assignments with their lead, coordinating bodies, deadline and recurrence;
- `reader`: `parse`, the whole document.

The names other modules use are importable from the package itself, as before the split.
"""

from .assignments import tasks
from .citations import references
from .commitments import targets
from .kinds import DOCUMENT_TYPES, NUMBER_RE, normalise_number_symbol, type_of_number
from .parts import ACTING_TITLES
from .reader import parse
from .result import ParsedDocument
from .signature import normalise_authority
from .text import clean_text

__all__ = [
    "ACTING_TITLES",
    "DOCUMENT_TYPES",
    "NUMBER_RE",
    "ParsedDocument",
    "clean_text",
    "normalise_authority",
    "normalise_number_symbol",
    "parse",
    "references",
    "targets",
    "tasks",
    "type_of_number",
]
