"""Job kinds: what each kind of background job does, declared once by the module that owns it.

The jobs app never imports a module; a module registers its kinds in its AppConfig.ready():

    kinds.register(Kind(
        name="orgs.units_export",                  # stored on the job, stable
        label=gettext_lazy("Unit export"),         # what the job is, in the interface
        run=export_job,                            # (job, progress) -> Outcome | None
        perm=Perm.UNIT_EXPORT,                     # the right its owner needs to follow and download it
    ))

`run(job, progress)` does the work for `job.created_by` (with `job.params`), calls `progress(done,
total)` as it goes (cheap: the runner writes only every few hundred rows) and returns an `Outcome`:
the file to offer for download and a line saying what was done. It raises `JobFailed(message)` to
fail with a message of its own (translated in the job's language); any other exception fails the job
with a general message. `on_fail(job, message)` lets the owning module mark its own records when the
job fails, or is found dead (`jobs.tasks.fail_stale`). `result_url(job)` is a page showing more of
the outcome (an import's rows and errors).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any, Protocol

from danvan.accounts.policy import Perm


class Progress(Protocol):
    def __call__(self, done: int, total: int | None = None) -> None: ...


@dataclass
class Outcome:
    """What a finished job gives: a file (a temporary file at its start, or bytes) and a line of text."""

    file: IO[bytes] | bytes | None = None
    filename: str = ""
    content_type: str = ""
    message: str = ""
    done: int | None = None  # the final count when the run knows it better than its last progress


class JobFailed(Exception):
    """The work cannot be done; the message (already translated) is the job's."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Kind:
    name: str
    label: Any  # gettext_lazy
    run: Callable[[Any, Progress], "Outcome | None"]
    perm: Perm
    shared: bool = False  # also followed by holders of `perm` over the job's unit (administrators)
    on_fail: Callable[[Any, str], None] | None = None
    result_url: Callable[[Any], str | None] | None = None
    # Only reads (an export): may be served by the read replica when one is configured (core.replica).
    reads_replica: bool = False


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    _KINDS[kind.name] = kind
    return kind


def kind_get(name: str) -> Kind | None:
    return _KINDS.get(name)


def kinds() -> list[Kind]:
    return list(_KINDS.values())


@contextmanager
def only(*extra: Kind) -> Iterator[None]:
    """Tests: these kinds registered for the duration (as well as the installation's)."""
    saved = dict(_KINDS)
    try:
        for kind in extra:
            register(kind)
        yield
    finally:
        _KINDS.clear()
        _KINDS.update(saved)
