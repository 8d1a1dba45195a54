"""The tests' own reminder kinds in place of the project's, and their templates."""

from pathlib import Path

import pytest

from danvan.reminders import kinds

from .support import KINDS, PLAN


@pytest.fixture
def plan(settings):
    """plan.append((user, section, Note(...))): what the "note" kind reminds of on every run."""
    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates
    PLAN.clear()
    with kinds.only(*KINDS):
        yield PLAN
    PLAN.clear()
