"""The shape the inbox and responder keep: the inbox's database access lives in its adapters (the
conversation store builds every conversation query), the web app calls the same actions as the API and
never an API route, and responder's and the inbox's modules import each other in one direction only."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INBOX = ROOT / "services" / "inbox" / "src" / "inbox"
RESPONDER = ROOT / "services" / "responder" / "src" / "responder"
DATABASE_CALLS = {"find", "find_one", "aggregate", "count_documents", "insert_one", "insert_many", "update_one",
                  "update_many", "delete_one", "delete_many", "find_one_and_update", "replace_one"}


def modules(package: Path) -> dict[str, Path]:
    base = package.parent
    out = {}
    for path in package.rglob("*.py"):
        name = ".".join(path.relative_to(base).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


def top_level_imports(path: Path, known: dict[str, Path]) -> set[str]:
    """Modules of the package imported when `path` is imported (not those imported inside functions)."""
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        found.update(n for n in names if n in known and known[n] != path)
    return found


def cycles(package: Path) -> list[list[str]]:
    known = modules(package)
    graph = {name: top_level_imports(path, known) for name, path in known.items()}
    found, state = [], {}

    def visit(name: str, stack: list[str]) -> None:
        state[name] = "open"
        for other in sorted(graph[name]):
            if other.startswith(name + "."):  # a package importing its own submodule
                continue
            if state.get(other) == "open":
                found.append(stack[stack.index(other):] + [other] if other in stack else [name, other])
            elif other not in state:
                visit(other, [*stack, other])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return found


def test_no_import_cycles_in_inbox_and_responder() -> None:
    assert cycles(INBOX) == []
    assert cycles(RESPONDER) == []


def test_replies_and_handover_do_not_import_each_other() -> None:
    """They share what both need through `service/sending.py`; replies may use handover, never the reverse."""
    known = modules(RESPONDER)
    handover = top_level_imports(known["responder.service.handover"], known)
    assert "responder.service.replies" not in handover
    assert "responder.service.sending" in handover
    assert "import replies" not in known["responder.service.handover"].read_text(encoding="utf-8")


def test_only_the_inbox_adapters_talk_to_the_database() -> None:
    offenders = {}
    for path in INBOX.rglob("*.py"):
        if path.parent.name in ("adapters", "auth"):  # the stores (auth keeps its own session store)
            continue
        calls = {n.func.attr for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in DATABASE_CALLS}
        if calls:
            offenders[str(path.relative_to(ROOT))] = sorted(calls)
    assert offenders == {}


def test_the_web_app_calls_the_actions_never_an_api_route() -> None:
    for path in (INBOX / "web").glob("*.py"):
        if path.name == "views_auth.py":  # sign-in and sign-out go through the API's session handling
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {f"{n.module}.{a.name}" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
                     for a in n.names}
        assert not {m for m in imported if m.startswith("inbox.api")}, path.name
