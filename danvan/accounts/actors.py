"""Who a service acts for: a signed-in `User`, or the installation itself (`System`).

Every service takes `by` — never optional, never None — and checks it through the policy. Work that
no person does (a command an operator runs, a scheduled job, the demo loader) passes a `System`
actor naming itself: it holds every permission, like the installation's superusers (it is not a
denouncer's case handler, so it still never sees a protected identity), and the records it writes
name no user (`recorded_user`).
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from .models import User


@dataclass(frozen=True)
class System:
    """The installation acting on its own: `System("danvan import-units")`, `System("report reminders")`."""

    label: str
    pk: None = None
    is_authenticated: bool = True
    is_active: bool = True
    is_superuser: bool = True

    def get_username(self) -> str:
        return self.label

    def __str__(self) -> str:
        return self.label


Actor = Union["User", System]


def recorded_user(by: "Actor") -> "User | None":
    """The user to store on a record `by` writes (created_by, decided_by …): None for the system."""
    return None if isinstance(by, System) else by
