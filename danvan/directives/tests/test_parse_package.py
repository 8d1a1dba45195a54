"""The parser is a package split by responsibility: documented modules, no import cycle, the old names kept."""

import ast
import importlib
import pkgutil
from pathlib import Path

from danvan.directives import parsing

PACKAGE = Path(parsing.__file__).parent
MODULES = sorted(info.name for info in pkgutil.iter_modules([str(PACKAGE)]))


def sibling_imports(name: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{name}.py").read_text())
    return {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 1}


def test_every_module_says_what_it_reads():
    for name in ["__init__", *MODULES]:
        assert ast.get_docstring(ast.parse((PACKAGE / f"{name}.py").read_text())), name


def test_no_module_imports_the_package_itself_and_there_is_no_cycle():
    graph = {name: sibling_imports(name) for name in MODULES}
    assert all(None not in found for found in graph.values())  # never `from . import …` of the package
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, " → ".join((*path, name))
        if name not in done:
            for found in graph[name]:
                visit(found, (*path, name))
            done.add(name)

    for name in MODULES:
        visit(name, ())


def test_the_names_used_elsewhere_are_still_importable_from_the_package():
    for name in (
        "parse",
        "ParsedDocument",
        "clean_text",
        "references",
        "targets",
        "tasks",
        "normalise_number_symbol",
        "normalise_authority",
        "type_of_number",
        "DOCUMENT_TYPES",
        "ACTING_TITLES",
        "NUMBER_RE",
    ):
        assert hasattr(parsing, name), name
    assert callable(parsing.tasks)  # the function, not a module of the same name
    for name in MODULES:
        importlib.import_module(f"danvan.directives.parsing.{name}")
