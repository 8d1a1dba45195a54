"""The service contract, checked over every module (issue 12, item 4).

A service is a function a view, an endpoint, a command or a job calls to change something. Every
public function in a `services` module (or a `services/` package):

- takes keyword-only arguments (no positional parameters) so a call names what it passes;
- annotates every parameter and its return value (mypy checks the rest in `make test`);
- takes `by: Actor` (`danvan.accounts.actors.Actor`: a signed-in user or the `System`), required
  and never optional — a service checks its permission for `by` and never skips it because `by`
  is missing.

Functions that change nothing are queries and live in `selectors` (or in a module named for what
it computes), not here. The audit log's own writer is the one exemption: it records whoever it is
told acted.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the danvan package

#: Modules exempt from the `by` rule, with the reason (still keyword-only and typed).
BY_EXEMPT = {
    "audit/services.py": "the audit log's writer: it records the actor it is given",
    "search/services.py": "the search index's writer: called by a module's service, which checked `by`",
}


def _service_modules() -> list[Path]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        if path.name == "services.py" or path.parent.name == "services":
            found.append(path)
    return found


MODULES = _service_modules()


def _imports_actor(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "danvan.accounts.actors"
        and any(alias.name == "Actor" and alias.asname is None for alias in node.names)
        for node in ast.walk(tree)
    )


def _problems(path: Path) -> list[str]:
    return _problems_in(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))


def _problems_in(text: str, rel: str) -> list[str]:
    tree = ast.parse(text)
    problems = []
    actor_imported = _imports_actor(tree)
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name.startswith("_"):
            continue
        args = node.args
        where = f"{rel}:{node.lineno} {node.name}"
        positional = [a.arg for a in args.posonlyargs + args.args]
        if positional:
            problems.append(f"{where}: positional parameters {positional} (make them keyword-only)")
        if args.vararg or args.kwarg:
            problems.append(f"{where}: *args/**kwargs hide what the service takes")
        params = args.posonlyargs + args.args + args.kwonlyargs
        missing = [a.arg for a in params if a.annotation is None]
        if missing:
            problems.append(f"{where}: parameters without a type {missing}")
        if node.returns is None:
            problems.append(f"{where}: no return type")
        if rel in BY_EXEMPT:
            continue
        by = next((a for a in args.kwonlyargs if a.arg == "by"), None)
        if by is None:
            problems.append(f"{where}: no keyword-only `by: Actor` (a query belongs in selectors)")
            continue
        if by.annotation is None or ast.unparse(by.annotation) != "Actor" or not actor_imported:
            problems.append(f"{where}: `by` must be typed `Actor` from danvan.accounts.actors")
        if args.kw_defaults[args.kwonlyargs.index(by)] is not None:
            problems.append(f"{where}: `by` has a default: it is required")
    return problems


def test_the_check_finds_every_module_with_services():
    names = {str(p.relative_to(ROOT)) for p in MODULES}
    # One per module that changes anything; a new module with services is picked up by the glob.
    for expected in (
        "accounts/services.py",
        "administration/services.py",
        "audit/services.py",
        "directives/services.py",
        "orgs/services.py",
        "programmes/services.py",
        "reception/services.py",
        "reminders/services.py",
        "reports/services.py",
        "voice/cases/services.py",
        "voice/deadlines/services.py",
        "voice/identity/services.py",
        "voice/portal/services.py",
    ):
        assert expected in names


def test_the_check_catches_a_bad_service():
    text = (
        "from danvan.accounts.actors import Actor\n"
        "def good(*, name: str, by: Actor) -> None: ...\n"
        "def positional(name: str, *, by: Actor) -> None: ...\n"
        "def optional_by(*, by: 'Actor | None' = None) -> None: ...\n"
        "def untyped(*, name, by: Actor): ...\n"
        "def no_actor(*, name: str) -> int: ...\n"
    )
    joined = "\n".join(_problems_in(text, "probe/services.py"))
    assert "good" not in joined
    assert "positional parameters ['name']" in joined
    assert "optional_by: `by` must be typed" in joined and "optional_by: `by` has a default" in joined
    assert "untyped: parameters without a type ['name']" in joined and "untyped: no return type" in joined
    assert "no_actor: no keyword-only `by: Actor`" in joined


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_services_are_keyword_only_typed_and_take_by(path):
    problems = _problems(path)
    assert not problems, "\n".join(problems)
