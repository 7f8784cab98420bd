"""The planning core stays pure: standard library only, no wall clock."""

from __future__ import annotations

import ast
import functools
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "broadcaster" / "domain"


def _imports(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, node.lineno))
    return found


def test_core_imports_only_the_standard_library():
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        for module, line in _imports(path):
            top = module.split(".")[0]
            if top not in sys.stdlib_module_names and top != "__future__":
                offenders.append(f"{path.name}:{line} imports {module}")
    assert offenders == []


def test_core_never_reads_the_wall_clock_or_disk():
    banned = (
        "datetime.now(",
        "date.today(",
        "utcnow(",
        "time.time(",
        "open(",
        "ZoneInfo(",
        "os.environ",
    )
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#")[0]
            offenders += [f"{path.name}:{no}: {b}" for b in banned if b in code]
    assert offenders == []


def test_the_architecture_check_catches_a_third_party_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlmodel\nfrom pydub import AudioSegment\nimport json\n")
    tops = [m.split(".")[0] for m, _ in _imports(bad)]
    assert [t for t in tops if t not in sys.stdlib_module_names] == ["sqlmodel", "pydub"]


# --- the layers ---------------------------------------------------------------------------------
# domain ← adapters ← use cases ← entry points (cli, api, web, agent, demo); see
# docs/architecture.md. Each package (or root module) of broadcaster is in one layer.

PACKAGE = CORE.parent
ADAPTERS = {
    "audio",
    "i18n",
    "security",
    "db",
    "ingest",
    "playlists",
    "registry",
    "reports",
    "speech",
    "config",
    "clock",
}
ENTRY_POINTS = {"cli", "api", "web", "agent", "demo", "server", "__main__"}
#: what each layer may import besides itself (a package always imports its own modules)
ALLOWED = {
    "domain": set(),
    **{a: {"domain"} for a in ADAPTERS},
    "usecases": {"domain", *ADAPTERS},
    "api": {"domain", "usecases", *ADAPTERS},
    "web": {"domain", "usecases", *ADAPTERS - {"db"}},
    "agent": {"domain", "usecases", *ADAPTERS},
    "server": {"domain", "usecases", "api", "web", *ADAPTERS},
    "cli": {"domain", "usecases", "api", "web", "agent", "demo", "server", *ADAPTERS},
    "demo": {"domain", "usecases", "api", "web", "agent", "cli", "server", *ADAPTERS},
    "__main__": {"cli"},
}


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_of(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            inside |= {id(n) for n in ast.walk(node)}
    return inside


@functools.cache  # two tests read it; nothing changes it
def import_graph() -> dict[str, set[str]]:
    """Each module of broadcaster → the modules of broadcaster it imports when it runs
    (imports inside functions included; ``if TYPE_CHECKING:`` blocks not)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_nodes(tree)
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        deps: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.Import):
                deps |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                target = ".".join([*base, node.module] if node.module else base)
                for alias in node.names:
                    deps.add(
                        f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target
                    )
        graph[name] = {d for d in deps if d in modules and d != name}
    return graph


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "root"


def test_every_package_belongs_to_a_layer():
    layers = {_layer(m) for m in _modules()} - {"root"}
    assert layers <= set(ALLOWED), f"no layer for: {sorted(layers - set(ALLOWED))}"


def test_dependencies_point_inward():
    offenders = []
    for module, deps in sorted(import_graph().items()):
        mine = _layer(module)
        for dep in sorted(deps):
            theirs = _layer(dep)
            if theirs in (mine, "root") or mine == "root":
                continue
            if theirs not in ALLOWED[mine]:
                offenders.append(f"{module} imports {dep} ({mine} may not use {theirs})")
    assert offenders == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles():
    assert _cycles(import_graph()) == []


def test_the_checks_catch_a_cycle_and_an_outward_import():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert "api" not in ALLOWED["usecases"] and "db" not in ALLOWED["web"]
    assert _layer("broadcaster.usecases.plans") == "usecases"


def test_no_module_is_too_long_and_no_function_either():
    """800 lines a module, 80 a function (templates are not Python)."""
    long_modules, long_functions = [], []
    for name, path in sorted(_modules().items()):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > 800:
            long_modules.append(f"{name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 80:
                    long_functions.append(f"{name}.{node.name}: {length} lines")
    assert long_modules == [] and long_functions == []
