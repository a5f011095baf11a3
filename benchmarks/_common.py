"""What the benchmark scripts share: the dataset folder, loading, the scaled MLP, scores.

A script run as ``python benchmarks/NAME.py`` has ``benchmarks/`` on ``sys.path``, so it
imports this module as ``_common``. Only the standard library is imported here at module
level: a script's ``--help`` stays fast, and memory measurements start small.
"""

import os
import time
import warnings
from pathlib import Path

#: The shared datasets most scripts run on, smallest first.
DATASETS = ("emotions", "yeast", "scene", "medical", "bibtex")


def data_dir():
    """The datasets folder: ``$SKMULTIMLP_DATA``, else ``shared/datasets`` beside the repository."""
    env = os.environ.get("SKMULTIMLP_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared" / "datasets"


def add_data_option(parser):
    """Add ``--data FOLDER`` (default: :func:`data_dir`) to an argument parser."""
    parser.add_argument("--data", type=Path, default=data_dir(),
                        help="datasets folder (default: $SKMULTIMLP_DATA, else ../shared/datasets)")


def load(name, part=None, data=None):
    """The ``Dataset`` of ``NAME/NAME.arff``, or of ``NAME/NAME-PART.arff`` (``"train"``, ``"test"``)."""
    from skmultimlp.datasets import load_dataset

    stem = f"{name}-{part}" if part else name
    return load_dataset(Path(data or data_dir()) / name / f"{stem}.arff")


def load_full(name, data=None):
    """``X, Y`` of a whole dataset: scene's two files stacked, ``"tutorial"`` generated."""
    import numpy as np

    from skmultimlp.datasets import make_tutorial_dataset

    if name == "tutorial":
        return make_tutorial_dataset()
    if name == "scene":  # distributed as train/test only: stacked, as ``skmultimlp benchmark``
        parts = [load(name, part, data) for part in ("train", "test")]
        return np.vstack([p.X for p in parts]), np.vstack([p.Y for p in parts])
    full = load(name, data=data)
    return full.X, full.Y


def scaled_mlp(X, **params):
    """``skmultimlp benchmark``'s MLP pipeline: StandardScaler (MaxAbsScaler for sparse X), then
    ``MultiLabelMLPClassifier(random_state=0, **params)``."""
    import scipy.sparse as sp
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MaxAbsScaler, StandardScaler

    from skmultimlp import MultiLabelMLPClassifier

    scaler = MaxAbsScaler() if sp.issparse(X) else StandardScaler()
    return make_pipeline(scaler, MultiLabelMLPClassifier(**{"random_state": 0, **params}))


def scores(Y, pred):
    """F1-micro, F1-macro, subset accuracy and Hamming loss of predicted labels."""
    from sklearn.metrics import accuracy_score, f1_score, hamming_loss

    return (f1_score(Y, pred, average="micro", zero_division=0),
            f1_score(Y, pred, average="macro", zero_division=0),
            accuracy_score(Y, pred), hamming_loss(Y, pred))


def timed_fit(model, X, Y):
    """Fit ``model`` with warnings silenced; return the seconds it took."""
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, Y)
    return time.perf_counter() - start


def parse_params(pairs):
    """``["name=value", ...]`` -> {name: int, float, tuple "(200,)" or str}."""
    params = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep:
            raise ValueError(f"expected PARAM=VALUE, got {pair!r}")
        params[name] = _value(text)
    return params


def _value(text):
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    if text.startswith("("):
        return tuple(int(v) for v in text.strip("()").split(",") if v)
    return text


def add_params_option(parser, example="scoring=f1_macro hidden_layer_sizes=(200,)"):
    """Add ``--set PARAM=VALUE ...`` (MLP parameters, read with :func:`parse_params`)."""
    parser.add_argument("--set", nargs="*", default=[], metavar="PARAM=VALUE",
                        help=f"MultiLabelMLPClassifier parameters, e.g. {example}")


def sparse_data(n_rows, n_columns, density, n_labels, seed=0):
    """Synthetic CSR features with ``density * n_columns`` non-zeros per row (float32), and
    0/1 labels (uint8, about 3 per row) from a random projection of them."""
    import numpy as np
    import scipy.sparse as sp

    rng = np.random.default_rng(seed)
    per_row = max(1, int(round(density * n_columns)))
    indices = np.empty(n_rows * per_row, np.int32)
    for start in range(0, n_rows, 100_000):  # bounded temporaries
        stop = min(start + 100_000, n_rows)
        block = rng.integers(0, n_columns, size=(stop - start, per_row), dtype=np.int32)
        indices[start * per_row : stop * per_row] = np.sort(block, axis=1).ravel()
    values = rng.random(n_rows * per_row, dtype=np.float32)
    indptr = np.arange(0, n_rows * per_row + 1, per_row, dtype=np.int64)
    X = sp.csr_matrix((values, indices, indptr), shape=(n_rows, n_columns))
    projection = rng.standard_normal((n_columns, n_labels), dtype=np.float32)
    # each label's 1 - 3 / n_labels quantile of the scores of the first 100k rows; rows
    # scored in chunks, so generating stays small in memory
    cut = np.quantile(X[:100_000] @ projection, 1 - 3 / n_labels, axis=0)
    Y = np.empty((n_rows, n_labels), np.uint8)
    for start in range(0, n_rows, 100_000):
        Y[start : start + 100_000] = X[start : start + 100_000] @ projection > cut
    return X, Y
