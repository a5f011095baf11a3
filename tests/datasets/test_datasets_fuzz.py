"""Property-based fuzzing of the loaders: every input loads or is refused.

Each case writes bytes to a file and calls a loader. It must return a consistent
:class:`MultilabelDataset`, or raise a one-line ``ValueError`` that names the file,
within the hypothesis deadline and a bounded ``tracemalloc`` peak. The examples are
derandomized so that CI runs the same ones every time; raise ``FUZZ_EXAMPLES`` to
hunt locally with fresh random inputs (``FUZZ_EXAMPLES=2000 pytest ...``).
"""

import os
import tracemalloc
import warnings
from datetime import timedelta

import numpy as np
import pytest
from scipy import sparse

from skmultimlp.datasets import (
    MultilabelDataset,
    load_arff,
    load_csv,
    load_libsvm_multilabel,
)

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, event, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_HUNT = int(os.environ.get("FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=_HUNT or 40,
    deadline=timedelta(seconds=2),
    derandomize=not _HUNT,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# A loader may use a fixed few MB (imports, buffers) plus a small multiple of the file.
_MEMORY_BASE, _MEMORY_PER_BYTE = 8_000_000, 40

LOADERS = {
    "arff": lambda path: load_arff(path, n_labels=1),
    "csv": lambda path: load_csv(path, 1),
    "svm": load_libsvm_multilabel,
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def check_loads_or_refuses(folder, data, suffix, loader=None):
    """Write ``data`` and load it: a consistent dataset, or a clear ValueError."""
    path = folder / f"fuzzed.{suffix}"
    path.write_bytes(data)
    loader = loader or LOADERS[suffix]
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            dataset = loader(path)
    except ValueError as exc:
        message = str(exc)
        assert message.startswith(path.name), message
        assert "\n" not in message, message
        event(f"{suffix}: refused")
        return None
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < _MEMORY_BASE + _MEMORY_PER_BYTE * len(data), peak
    assert isinstance(dataset, MultilabelDataset)
    X, Y, label_names, feature_names = dataset
    assert X.dtype == np.float64 and (sparse.isspmatrix_csr(X) or X.ndim == 2)
    assert X.shape == (Y.shape[0], len(feature_names)) and X.shape[0] >= 1
    assert Y.shape[1] == len(label_names) and np.isin(Y, (0, 1)).all()
    event(f"{suffix}: loaded")
    return dataset


# ------------------------------------------------------------------ random bytes


@FUZZ
@given(data=st.binary(max_size=300), suffix=st.sampled_from(sorted(LOADERS)))
def test_random_bytes(folder, data, suffix):
    check_loads_or_refuses(folder, data, suffix)


# --------------------------------------------------------------- truncated files


@pytest.fixture(scope="module")
def real_files(data_dir, folder):
    """A real ARFF file, and the same data as CSV and LIBSVM, as bytes."""
    from sklearn.datasets import dump_svmlight_file

    arff = (data_dir / "emotions" / "emotions.arff").read_bytes()
    X, Y, label_names, feature_names = load_arff(data_dir / "emotions/emotions.arff")
    rows = [",".join(feature_names + label_names)]
    rows += [",".join(map(repr, x.tolist() + y.tolist())) for x, y in zip(X, Y)]
    svm = folder / "real.svm"
    dump_svmlight_file(X, Y, str(svm), multilabel=True)
    return {"arff": arff, "csv": "\n".join(rows).encode(), "svm": svm.read_bytes()}


@FUZZ
@given(suffix=st.sampled_from(sorted(LOADERS)), cut=st.floats(0, 1))
def test_truncated_real_file(folder, real_files, suffix, cut):
    data = real_files[suffix]
    data = data[: int(cut * len(data))]
    loaders = {"arff": lambda path: load_arff(path, n_labels=6)}
    loaders["csv"] = lambda path: load_csv(path, 6)
    check_loads_or_refuses(folder, data, suffix, loaders.get(suffix))


# ------------------------------------------------------------ structured inputs

# Tokens chosen to hit the readers' edges: missing values, NaN/inf, garbage, quotes,
# huge numbers and indices, control characters, non-ASCII text; mixed with plain
# values (three times in four) so that many files are valid.
EDGE_TOKENS = st.sampled_from(
    ["0", "1", "2", "-1", "0.5", "?", "", " ", "nan", "inf", "-inf", "1e999", "x",
     "'a b'", '"', "'", "{", "}", "%", "#", ":", ",", "\x00", "\t", "é", "1_0",
     "9" * 30, "1" * 300]
)
PLAIN = st.sampled_from(["0", "1", "0", "1", "0.5", "-2", "1e3", "?", "nan"])
TOKENS = st.one_of(PLAIN, PLAIN, PLAIN, EDGE_TOKENS)
EDGE_NAMES = st.sampled_from(["a", "y", "'q r'", "é", "%", "{a}", "", "a b"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8", "bom", "latin-1"])


def _encode(text, how):
    if how == "latin-1":
        return text.encode("latin-1", errors="replace")
    return (("\ufeff" if how == "bom" else "") + text).encode("utf-8")


@st.composite
def tables(draw):
    """Column names (sometimes odd or repeated) and rows of mostly that many cells."""
    n_columns = draw(st.integers(2, 6))
    names = [
        draw(st.one_of(*[st.just(f"f{i}")] * 4, EDGE_NAMES)) for i in range(n_columns)
    ]
    label = st.one_of(*[st.sampled_from(["0", "1"])] * 3, TOKENS)
    full = st.tuples(st.lists(TOKENS, min_size=n_columns - 1, max_size=n_columns - 1), label)
    row = st.one_of(*[full.map(lambda cells: cells[0] + [cells[1]])] * 4, st.lists(TOKENS))
    return names, draw(st.lists(row, min_size=1, max_size=5))


@FUZZ
@given(
    table=tables(),
    types=st.lists(
        st.sampled_from(["numeric", "numeric", "{0,1}", "{0,'1 2'}", "string", "{}"]),
        min_size=1,
    ),
    sparse_rows=st.booleans(),
    how=ENCODINGS,
)
def test_structured_arff(folder, table, types, sparse_rows, how):
    names, rows = table
    header = ["@relation fuzz"]
    header += [
        f"@attribute {name} {types[i % len(types)]}" for i, name in enumerate(names)
    ]
    if sparse_rows:
        lines = ["{" + ", ".join(f"{i} {t}" for i, t in enumerate(row)) + "}" for row in rows]
    else:
        lines = [",".join(row) for row in rows]
    text = "\n".join(header + ["@data"] + lines) + "\n"
    check_loads_or_refuses(folder, _encode(text, how), "arff")


@FUZZ
@given(table=tables(), how=ENCODINGS)
def test_structured_csv(folder, table, how):
    names, rows = table
    text = "\n".join([",".join(names)] + [",".join(row) for row in rows]) + "\n"
    check_loads_or_refuses(folder, _encode(text, how), "csv")


INDICES = st.sampled_from(
    ["1", "2", "3", "7", "0", "1000000000", "9" * 19, "9" * 30, "-1", "x"]
)
LABELS = st.one_of(PLAIN, EDGE_TOKENS)


@FUZZ
@given(
    rows=st.lists(
        st.tuples(
            st.lists(st.sampled_from(["0", "1", "2"]) | LABELS, max_size=3),
            st.lists(st.tuples(INDICES, TOKENS), max_size=4, unique_by=lambda p: p[0]),
        ),
        max_size=4,
    ),
    how=ENCODINGS,
)
def test_structured_libsvm(folder, rows, how):
    lines = [
        ",".join(labels) + " " + " ".join(f"{i}:{v}" for i, v in sorted(pairs, key=_order))
        for labels, pairs in rows
    ]
    check_loads_or_refuses(folder, _encode("\n".join(lines) + "\n", how), "svm")


def _order(pair):
    index = pair[0]
    return int(index) if index.isdigit() else -1
