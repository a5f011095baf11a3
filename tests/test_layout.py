"""The package's layout rules: layers, no cycles, headers that show every dependency, sizes.

Read from the source (``ast``), not by importing, so a broken rule is reported even
where the import would still work.
"""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1] / "skmultimlp"

# Bottom to top: a module may import its own wing and the layers below its own.
LAYERS = [
    {"_compat", "_arrays", "_random", "_unknown", "_thresholds", "_label_sets", "_roc_auc", "datasets"},
    {"_backend"},
    {"_inputs"},
    {"_network", "_persistence"},
    {"_training"},
    {"_targets", "_threshold_search", "metrics", "model_selection"},
    {"_fit", "_prediction"},
    {"_estimator", "_tuned_thresholds"},
    {"benchmark"},
    {"_cli", "__main__", "__init__"},
]
LAYER = {name: i for i, names in enumerate(LAYERS) for name in names}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80  # of code: a numpydoc docstring does not count
MAX_PARAMETERS = 8
# Public signatures that are flat by scikit-learn's convention: the estimators' parameters
# (as MLPClassifier's) and ``compare``'s keywords (as ``cross_validate``'s).
WIDE_SIGNATURES = {"_estimator.MultiLabelMLPClassifier.__init__",
                   "_tuned_thresholds.MultiLabelTunedThresholdClassifierCV.__init__",
                   "benchmark._compare.compare"}


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1] + ("__init__",)
        yield path, parts, ast.parse(path.read_text())


def _internal_imports(parts, tree):
    """(node, imported module as a tuple of names under ``skmultimlp``) of each relative import."""
    package = parts[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            if node.module:
                yield node, (*base, *node.module.split("."))
            else:  # ``from . import x``: x is a module of the package (or a name of its __init__)
                for alias in node.names:
                    yield node, (*base, alias.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                if name == "skmultimlp" or name.startswith("skmultimlp."):
                    yield node, tuple(name.split(".")[1:]) or ("__init__",)


def _graph():
    known = {parts for _, parts, _ in _modules()}
    graph = {}
    for _, parts, tree in _modules():
        targets = set()
        for _, module in _internal_imports(parts, tree):
            while module and module not in known and module + ("__init__",) not in known:
                module = module[:-1]  # ``from ._x import name``: the module is ``_x``
            if module:
                targets.add(module if module in known else module + ("__init__",))
        graph[parts] = targets - {parts}
    return graph


def test_no_import_cycle():
    graph, done, cycles = _graph(), set(), []

    def visit(node, path):
        if node in path:
            cycles.append(path[path.index(node):] + [node])
            return
        if node in done:
            return
        for target in graph.get(node, ()):
            visit(target, path + [node])
        done.add(node)

    for node in graph:
        visit(node, [])
    assert not cycles, [" -> ".join(".".join(m) for m in cycle) for cycle in cycles]


def test_no_import_from_a_higher_layer():
    wrong = set()
    for _, parts, tree in _modules():
        for _, module in _internal_imports(parts, tree):
            wing, target = parts[0], module[0]
            if target != wing and LAYER.get(target, 0) > LAYER.get(wing, len(LAYERS)):
                wrong.add((".".join(parts), ".".join(module)))
    assert not wrong, sorted(wrong)


def test_every_wing_has_a_layer():
    wings = {parts[0] for _, parts, _ in _modules()}
    assert wings <= set(LAYER), sorted(wings - set(LAYER))


def test_own_modules_are_imported_in_the_header():
    """Only Keras and the backends stay lazy (importing skmultimlp stays cheap)."""
    inside = set()
    for _, parts, tree in _modules():
        internal = {id(node) for node, _ in _internal_imports(parts, tree)}
        for _, function in _functions(tree):
            inside.update(f"{'.'.join(parts)}:{node.lineno}" for node in ast.walk(function)
                          if id(node) in internal)
    assert not inside, sorted(inside)


def test_sizes():
    too_long, too_wide = [], []
    for path, parts, tree in _modules():
        module = ".".join(parts)
        n_lines = len(path.read_text().splitlines())
        if n_lines > MAX_MODULE_LINES:
            too_long.append(f"{module} ({n_lines} lines)")
        for name, function in _functions(tree):
            if _code_lines(function) > MAX_FUNCTION_LINES:
                too_long.append(f"{module}.{name} ({_code_lines(function)} lines)")
            arguments = function.args
            n = len(arguments.posonlyargs + arguments.args + arguments.kwonlyargs)
            n -= bool(arguments.args) and arguments.args[0].arg in ("self", "cls")
            if n > MAX_PARAMETERS and f"{module}.{name}" not in WIDE_SIGNATURES:
                too_wide.append(f"{module}.{name} ({n} parameters)")
    assert not too_long, too_long
    assert not too_wide, too_wide


def test_package_listing_stays_short():
    entries = [p for p in ROOT.iterdir() if p.name != "__pycache__"]
    assert len(entries) <= 25, sorted(p.name for p in entries)


def _functions(tree, prefix=""):
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield prefix + node.name, node
            yield from _functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, f"{prefix}{node.name}.")
        else:
            yield from _functions(node, prefix)


def _code_lines(function):
    """Lines of a function without its docstring."""
    lines = function.end_lineno - function.lineno + 1
    first = function.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        lines -= first.end_lineno - first.lineno + 1
    return lines
