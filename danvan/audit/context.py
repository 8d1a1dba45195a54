"""Who is acting right now: set per request by the middleware, per command by `acting_as`."""

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    id: int | None
    label: str
    ip_address: str | None = None
    source: str = "web"


SYSTEM = Actor(id=None, label="system", source="system")
_current: ContextVar[Actor] = ContextVar("danvan_audit_actor", default=SYSTEM)


def current_actor() -> Actor:
    return _current.get()


def actor_for_user(user, *, ip_address: str | None = None, source: str = "web") -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(id=None, label="anonymous", ip_address=ip_address, source=source)
    return Actor(id=user.pk, label=user.get_username(), ip_address=ip_address, source=source)


@contextlib.contextmanager
def acting_as(actor: Actor):
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def set_actor(actor: Actor) -> None:
    """Replace the actor for the rest of the current request (used once DRF has authenticated).

    The middleware's `acting_as` restores the previous value when the request ends.
    """
    _current.set(actor)
