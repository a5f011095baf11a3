"""scikit-learn's own MLPClassifier tests, run against MultiLabelMLPClassifier.

The installed scikit-learn's ``sklearn/neural_network/tests/test_mlp.py`` is read at
test time and changed in one way only: every use of the name ``MLPClassifier`` becomes
``MultiLabelMLPClassifier``, imported from skmultimlp on the line of scikit-learn's
import (found with ``ast``; the text is edited at those positions, so line numbers in a
traceback are those of the installed file). ``MLPRegressor`` is left alone. The module
is compiled (with pytest's assertion rewriting, for readable failures) and executed as
its own namespace; its classifier tests are then bound here under scikit-learn's names,
with their ``parametrize`` marks, so pytest reports ``test_sklearn_mlp.py::test_alpha``.

Which tests: the ``test_*`` functions that name ``MLPClassifier`` (in the body or a
decorator), less ``NOT_RUN`` (tests of MLPClassifier's private internals). A test
parametrized over both estimators keeps only its classifier cases.

``EXPECTED_FAILURES`` is the deselect list: each test, or one case ``name[id]``,
that fails today, with the missing feature as the reason. It is applied as
``xfail(strict=True)``, so a test that starts passing fails the run until its entry is
removed. Run ``python tests/test_sklearn_mlp.py`` to print the rewritten module.
"""

import ast
import importlib.util
import linecache
import types
from pathlib import Path

import pytest

ORIGINAL = "MLPClassifier"
REPLACEMENT = "MultiLabelMLPClassifier"

# Tests that set or read MLPClassifier's private state; they test scikit-learn's
# implementation, not the public behaviour a drop-in has to match.
NOT_RUN = {
    "test_gradient": "compares MLPClassifier._loss_grad_lbfgs with a numerical gradient",
    "test_fit": "sets coefs_, _coef_velocity and other private state by hand, then partial_fit",
}

# The deselect list: what each failing test needs, and why the difference is kept
# where it is a decision. The lead removes entries as features land; a key is a test
# name (all its cases) or one case, ``name[id]`` as pytest shows it.
PRIVATE = "reads MLPClassifier's private {} (its learning-rate schedules are matched instead: tests/test_solvers.py)"
EXPECTED_FAILURES = {
    "test_learning_rate_warmstart": PRIVATE.format("_optimizer.learning_rate"),
    "test_adaptive_learning_rate": PRIVATE.format("_optimizer.learning_rate"),
    # Differences kept on purpose (docs/user_guide.rst, "from MLPClassifier").
    "test_early_stopping_stratified": (
        "early stopping is on by default here: an early-stopping split that cannot be "
        "stratified falls back to a plain one instead of raising, or every tiny fit would fail"
    ),
    "test_mlp_partial_fit_after_fit[MultiLabelMLPClassifier]": (
        "early_stopping=True is the default here, so partial_fit ignores it (no hold-out) "
        "instead of refusing it as MLPClassifier does"
    ),
    "test_preserve_feature_names[MultiLabelMLPClassifier]": (
        "a y with one class is refused ('a classifier needs at least two classes'); "
        "MLPClassifier fits it"
    ),
    "test_mlp_param_dtypes[MultiLabelMLPClassifier-float64]": (
        "training runs in float32: coefs_ and intercepts_ are float32 for float64 X "
        "(MLPClassifier keeps X's dtype)"
    ),
}

# Tests that draw from NumPy's global generator (code outside ours); the global-state
# guard of conftest.py then checks everything else. None today: test_mlp.py seeds local
# RandomState objects only, and our random_state=None does not use the global one.
USES_GLOBAL_NUMPY_RNG = set()


def sklearn_test_file():
    """Path of the installed scikit-learn's test_mlp.py, or None."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "neural_network" / "tests" / "test_mlp.py"
        if path.is_file():
            return path
    return None


def swap_classifier(source):
    """``source`` with each use of MLPClassifier replaced by MultiLabelMLPClassifier.

    Returns ``(new_source, classifier_tests)``: the names of the top-level ``test_*``
    functions that use MLPClassifier. Line numbers are unchanged. Raises ValueError on
    a use this rewrite does not understand (an alias, an attribute access, no import),
    so that a change in scikit-learn's file is noticed rather than half-applied.
    """
    tree = ast.parse(source)
    edits = []  # (line, start, end, text), columns in UTF-8 bytes as ast gives them
    imported = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == ORIGINAL:
            edits.append((node.lineno, node.col_offset, node.end_col_offset, REPLACEMENT))
        elif isinstance(node, ast.Attribute) and node.attr == ORIGINAL:
            raise ValueError(f"line {node.lineno}: attribute access to {ORIGINAL}")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == ORIGINAL and alias.asname not in (None, ORIGINAL):
                    raise ValueError(f"line {node.lineno}: {ORIGINAL} imported as {alias.asname}")
                if alias.name == ORIGINAL and isinstance(node, ast.ImportFrom):
                    # Keep scikit-learn's import as written (the name is no longer used)
                    # and import ours on the same line.
                    imported = True
                    end = node.end_col_offset
                    edits.append((node.end_lineno, end, end, f"; from skmultimlp import {REPLACEMENT}"))
    if not imported:
        raise ValueError(f"no 'from ... import {ORIGINAL}' found")

    lines = [line.encode() for line in source.splitlines(keepends=True)]
    for lineno, start, end, text in sorted(edits, reverse=True):
        line = lines[lineno - 1]
        lines[lineno - 1] = line[:start] + text.encode() + line[end:]
    new_source = b"".join(lines).decode()

    classifier_tests = [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and node.name.startswith("test_")
        and any(isinstance(n, ast.Name) and n.id == ORIGINAL for n in ast.walk(node))
    ]
    return new_source, classifier_tests


def load_swapped(path):
    """Execute the rewritten test module; return it and its classifier test names."""
    source, classifier_tests = swap_classifier(path.read_text(encoding="utf-8"))
    filename = str(path.with_name(f"test_mlp[{ORIGINAL}->{REPLACEMENT}].py"))
    # Tracebacks read the rewritten text from linecache (mtime None: never evicted).
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    tree = ast.parse(source, filename)
    try:  # pytest's assertion rewriting, as for any test module; plain asserts otherwise
        from _pytest.assertion.rewrite import rewrite_asserts

        rewrite_asserts(tree, source.encode(), filename)
    except (ImportError, TypeError):
        pass
    module = types.ModuleType("sklearn_test_mlp_swapped")
    module.__file__ = filename
    exec(compile(tree, filename, "exec"), module.__dict__)
    return module, classifier_tests


def _without_regressor(function, regressor):
    """Drop the MLPRegressor cases of ``function``'s parametrize marks.

    Returns False when nothing is left to run (a regressor-only test).
    """
    marks = []
    for mark in getattr(function, "pytestmark", []):
        if mark.name == "parametrize":
            argnames, argvalues = mark.args[0], list(mark.args[1])
            keep = [i for i, v in enumerate(argvalues) if not _mentions(v, regressor)]
            if not keep:
                return False
            kwargs = dict(mark.kwargs)
            if isinstance(kwargs.get("ids"), (list, tuple)):
                kwargs["ids"] = [kwargs["ids"][i] for i in keep]
            kept = [argvalues[i] for i in keep]
            mark = pytest.mark.parametrize(argnames, kept, *mark.args[2:], **kwargs).mark
        marks.append(mark)
    if hasattr(function, "pytestmark"):
        function.pytestmark = marks
    return True


def _mentions(value, obj):
    if isinstance(value, (tuple, list)):
        return any(_mentions(v, obj) for v in value)
    values = getattr(value, "values", None)  # pytest.param(...)
    if isinstance(values, tuple) and hasattr(value, "marks"):
        return _mentions(values, obj)
    return value is obj


def _bind_tests(namespace):
    """Bind scikit-learn's classifier tests into ``namespace``; return their names."""
    module, classifier_tests = load_swapped(SKLEARN_TEST_FILE)
    bound = []
    for name in classifier_tests:
        if name in NOT_RUN:
            continue
        function = getattr(module, name)
        if not _without_regressor(function, getattr(module, "MLPRegressor", None)):
            continue
        if name in USES_GLOBAL_NUMPY_RNG:
            function = pytest.mark.uses_global_numpy_rng(function)
        namespace[name] = function
        bound.append(name)
    return module, classifier_tests, bound


SKLEARN_TEST_FILE = sklearn_test_file()
if SKLEARN_TEST_FILE is None:
    pytest.skip(
        "scikit-learn's tests are not installed (sklearn/neural_network/tests/test_mlp.py "
        "missing; some distributions strip them)",
        allow_module_level=True,
    )
SWAPPED, CLASSIFIER_TESTS, BOUND_TESTS = _bind_tests(globals())


@pytest.fixture(autouse=True)
def _expected_failure(request):
    """Mark a test (or one case, ``name[id]``) of EXPECTED_FAILURES as strict xfail."""
    node = request.node
    reason = EXPECTED_FAILURES.get(node.name) or EXPECTED_FAILURES.get(node.originalname)
    if reason is not None:
        node.add_marker(pytest.mark.xfail(strict=True, reason=reason))


def test_harness_swapped_every_use():
    """The rewritten module uses our class wherever scikit-learn's used MLPClassifier."""
    from sklearn.neural_network import MLPClassifier

    from skmultimlp import MultiLabelMLPClassifier

    assert SWAPPED.MultiLabelMLPClassifier is MultiLabelMLPClassifier
    for name in BOUND_TESTS:
        code = getattr(SWAPPED, name).__code__
        assert ORIGINAL not in code.co_names
    assert CLASSIFIER_TESTS, "no test of test_mlp.py uses MLPClassifier"
    assert MLPClassifier is not MultiLabelMLPClassifier


def test_harness_lists_name_existing_tests():
    """Every entry of the lists names a classifier test that scikit-learn still has."""
    listed = {key.split("[")[0] for key in EXPECTED_FAILURES} | USES_GLOBAL_NUMPY_RNG
    assert listed <= set(BOUND_TESTS), sorted(listed - set(BOUND_TESTS))
    assert set(NOT_RUN) <= set(CLASSIFIER_TESTS), sorted(set(NOT_RUN) - set(CLASSIFIER_TESTS))


if __name__ == "__main__":
    print(swap_classifier(SKLEARN_TEST_FILE.read_text(encoding="utf-8"))[0])
