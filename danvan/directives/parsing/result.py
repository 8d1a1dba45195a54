"""The result of `parse`: `ParsedDocument`; `as_dict()` gives the JSON shape of `danvan parse-document`."""

from __future__ import annotations

import dataclasses
import datetime


@dataclasses.dataclass
class ParsedDocument:
    """Fields read from one document. `issued_on` is a date; `as_dict()` gives the JSON form."""

    type: str | None = None
    number_symbol: str | None = None
    issuer: str | None = None
    parent_issuer: str | None = None
    place: str | None = None
    issued_on: datetime.date | None = None
    subject: str | None = None
    addressees: list[str] = dataclasses.field(default_factory=list)
    recipients: list[str] = dataclasses.field(default_factory=list)
    signing_authority: str | None = None
    signer_title: str | None = None
    signer: str | None = None
    references: list[dict] = dataclasses.field(default_factory=list)
    targets: list[dict] = dataclasses.field(default_factory=list)
    tasks: list[dict] = dataclasses.field(default_factory=list)

    def as_dict(self) -> dict:
        data = dataclasses.asdict(self)
        data["issued_on"] = self.issued_on.isoformat() if self.issued_on else None
        return data
