"""Multi-label LIBSVM / svmlight files, read by scikit-learn."""

import math
from collections.abc import Sequence

import numpy as np
from sklearn.datasets import load_svmlight_file
from sklearn.preprocessing import MultiLabelBinarizer

from ._base import MultilabelDataset, existing_file, warn_missing_values

_BOM = b"\xef\xbb\xbf"
# Above this many features the names "x0", "x1", ... are made on demand, not listed.
_LISTED_NAMES = 1 << 20


class NumberedNames(Sequence):
    """The names ``"x0", "x1", ...`` of ``n`` features, each made when asked for.

    A file may declare a feature index of 10**9 with a few bytes; its names are not
    listed in memory. Compares equal to a list of the same names.
    """

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [f"x{i}" for i in range(*index.indices(self.n))]
        position = range(self.n)[index]  # IndexError as a list would
        return f"x{position}"

    def __eq__(self, other):
        if isinstance(other, NumberedNames):
            return self.n == other.n
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == self.n and all(map(str.__eq__, self, other))
        return NotImplemented

    def __repr__(self):
        return f"NumberedNames({self.n})  # 'x0' ... 'x{self.n - 1}'"


def _shown(token):
    return repr(token) if len(token) <= 40 else f"{token[:40]!r}... ({len(token)} chars)"


def _label_problem(label):
    try:
        value = float(label)
    except ValueError:
        return f"label {_shown(label)} is not a number"
    return None if math.isfinite(value) else f"label {label!r} is not a finite number"


def _pair_problem(token, previous):
    index, colon, value = token.partition(":")
    if not colon or not index.isdigit() or len(index) > 18:
        return f"{_shown(token)} is not index:value with an index >= 0", previous
    if int(index) <= previous:
        return "feature indices must be increasing and unique", previous
    try:
        float(value)
    except ValueError:
        return f"value {_shown(value)} is not a number", previous
    return None, int(index)


def _line_problem(raw):
    """What is wrong with one line of a LIBSVM file, or None."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "the line is not UTF-8 text"
    tokens = text.split("#", 1)[0].split()
    if tokens and ":" not in tokens[0]:
        problems = map(_label_problem, tokens.pop(0).split(","))
        if (problem := next(filter(None, problems), None)) is not None:
            return problem
    previous = -1
    for token in tokens:
        if not token.startswith("qid:"):
            problem, previous = _pair_problem(token, previous)
            if problem is not None:
                return problem
    return None


def _open_after_bom(path):
    """``path`` opened as bytes, past a UTF-8 byte-order mark if there is one."""
    handle = path.open("rb")
    if handle.read(3) != _BOM:
        handle.seek(0)
    return handle


def _explained(path, reason):
    """A ValueError naming the first line of ``path`` with a problem, or ``reason``."""
    with _open_after_bom(path) as handle:
        for number, raw in enumerate(handle, start=1):
            if (problem := _line_problem(raw)) is not None:
                return ValueError(f"{path.name}, line {number}: {problem}")
    return ValueError(f"{path.name}: {reason}")


def load_libsvm_multilabel(path, n_features=None):
    """Load a multi-label dataset in LIBSVM / svmlight format.

    Each line reads ``l1,l2,... idx:val idx:val ...``; it is parsed by
    :func:`sklearn.datasets.load_svmlight_file` with ``multilabel=True``.

    Parameters
    ----------
    path : str or path-like
        The LIBSVM file.
    n_features : int, default=None
        Number of features; by default the largest index in the file.

    Returns
    -------
    dataset : MultilabelDataset
        ``(X, Y, label_names, feature_names)``: a float64 CSR ``X``, a 0/1 uint8
        ``Y`` with one column per label id seen in the file (sorted), the label ids
        as strings, and feature names ``"x0", "x1", ...``.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If a line cannot be read (a label that is not a finite number, a pair that is
        not ``index:value``, indices not increasing, bytes that are not UTF-8), or the
        file has no rows. The message names the file and the line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skmultimlp.datasets import load_libsvm_multilabel
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "toy.svm"
    ...     _ = path.write_text("0,2 1:0.5 3:1\\n1 2:1.5\\n")
    ...     X, Y, label_names, feature_names = load_libsvm_multilabel(path)
    >>> X.toarray()
    array([[0.5, 0. , 1. ],
           [0. , 1.5, 0. ]])
    >>> Y
    array([[1, 0, 1],
           [0, 1, 0]], dtype=uint8)
    >>> label_names
    ['0', '1', '2']
    """
    path = existing_file(path)
    with _open_after_bom(path) as handle:
        try:
            X, y = load_svmlight_file(
                handle, n_features=n_features, multilabel=True, dtype=np.float64
            )
        except (ValueError, OverflowError) as exc:
            raise _explained(path, exc) from None
    if not y:
        raise ValueError(f"{path.name}: no data rows")
    binarizer = MultiLabelBinarizer(sparse_output=True)  # no dense int64 matrix on the way
    Y = binarizer.fit_transform(y).astype(np.uint8).toarray()
    if not all(map(math.isfinite, binarizer.classes_)):
        raise _explained(path, "a label is not a finite number")
    n_features = X.shape[1]
    names = NumberedNames(n_features)
    dataset = MultilabelDataset(
        X=X.tocsr(),
        Y=Y,
        label_names=[f"{label:g}" for label in binarizer.classes_],
        feature_names=list(names) if n_features <= _LISTED_NAMES else names,
    )
    warn_missing_values(dataset.X, path.name, stacklevel=3)
    return dataset
