"""What a training class is made of, as a page, the API or an import gives it to the services."""

import datetime
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class AttendeeSpec:
    name: str
    position: str = ""
    unit_name: str = ""


@dataclass(frozen=True)
class ClassSpec:
    unit: Any  # the organiser's Unit
    title: str
    held_on: datetime.date | None
    participants: int | None
    topic: str = ""
    organiser: str = ""
    ended_on: datetime.date | None = None
    place: str = ""
    notes: str = ""
    # the list of participants when known; None keeps the class's list as it is (an API PATCH)
    attendees: list[AttendeeSpec] | None = field(default=None)
