"""What every reader shares: the returned named tuple, text decoding, numbers, labels."""

import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import numpy as np
from scipy import sparse


class MultilabelDataset(NamedTuple):
    """A multi-label dataset, as returned by the loaders of this module.

    A named tuple: unpack it as ``X, Y, label_names, feature_names = dataset`` or read
    its fields by name.

    Attributes
    ----------
    X : ndarray of shape (n_samples, n_features) or scipy.sparse.csr_matrix
        The features as float64: a dense array, or a CSR matrix when the file stores
        its rows sparsely (sparse ARFF, LIBSVM).
    Y : ndarray of shape (n_samples, n_labels), dtype uint8
        The label indicator matrix, 0 and 1 (one byte per cell). Convert it before
        arithmetic that can go negative: ``Y - P`` wraps around in uint8 when ``P``
        is an integer array.
    label_names : list of str
        The name of each column of ``Y``, in file order: the ``classes`` to pass to
        :func:`skmultimlp.label_sets`. Also readable as ``target_names``, the name
        scikit-learn's dataset loaders use.
    feature_names : list of str
        The name of each column of ``X``, in file order.
    """

    X: "np.ndarray | sparse.csr_matrix"
    Y: np.ndarray
    label_names: list
    feature_names: list

    @property
    def target_names(self):
        """``label_names``, under the name scikit-learn's loaders give it."""
        return self.label_names


class Column(NamedTuple):
    """A named column of a file; ``values`` lists the declared values when nominal."""

    name: str
    values: "tuple | None" = None  # None for numeric columns


def existing_file(path):
    """``path`` as a :class:`~pathlib.Path`, or FileNotFoundError naming it."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"dataset file not found: {path}")
    return path


# No number needs more characters than this (a double prints in at most 24); a longer
# token is garbage, refused before any work is spent on it.
LONGEST_NUMBER = 256


def parse_number(token, where):
    """``token`` as a float, or a ValueError that starts with ``where``."""
    if len(token) > LONGEST_NUMBER:
        raise ValueError(
            f"{where}: a value of {len(token)} characters is too long to be a number"
        )
    try:
        return float(token)
    except ValueError:
        raise ValueError(f"{where}: {token!r} is not a number") from None


def _first_undecodable_line(path):
    with path.open("rb") as handle:
        number = 0
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                break
    return number


@contextmanager
def open_text(path, newline=None):
    """Open ``path`` as UTF-8 text, skipping a byte-order mark.

    A byte that is not UTF-8, wherever it is read inside the ``with`` block, becomes
    a one-line ValueError naming the file and the line (the file is read again, as
    bytes, only then).
    """
    try:
        with path.open(encoding="utf-8-sig", newline=newline) as handle:
            yield handle
    except UnicodeDecodeError as exc:
        byte = exc.object[exc.start : exc.start + 1].hex()
        raise ValueError(
            f"{path.name}, line {_first_undecodable_line(path)}: byte 0x{byte} is not "
            "UTF-8 text; save the file as UTF-8"
        ) from None


def warn_missing_values(X, filename, stacklevel=4):
    """Warn, with their count, when the features ``X`` hold NaN (missing) values."""
    values = X.data if sparse.issparse(X) else X
    n_missing = int(np.count_nonzero(np.isnan(values)))
    if n_missing:
        warnings.warn(
            f"{filename}: {n_missing} missing feature value(s) ('?', empty cells or "
            "NaN) are NaN in X",
            UserWarning,
            stacklevel=stacklevel,
        )


def check_unique_names(names, where):
    """Raise a ValueError starting with ``where`` if a name appears twice."""
    seen = set()
    for name in names:
        if name in seen:
            raise ValueError(f"{where}: the name {name!r} appears twice")
        seen.add(name)


def _label_columns(matrix, label_columns):
    """Each label column of a dense or CSR ``matrix`` in turn, as a dense float vector.

    Read one at a time, so that no float copy of all the label columns is made.
    """
    if not sparse.issparse(matrix):
        for source in label_columns:
            yield matrix[:, source]
        return
    labels = matrix[:, label_columns].tocsc()  # only the labels' non-zeros
    for j in range(labels.shape[1]):
        cells = np.zeros(labels.shape[0])
        span = slice(labels.indptr[j], labels.indptr[j + 1])
        cells[labels.indices[span]] = labels.data[span]
        yield cells


def label_matrix(matrix, columns, label_columns, filename):
    """Read the label columns of a decoded table into a 0/1 uint8 matrix, checking every value.

    ``matrix`` (dense, or CSR) holds one float per cell (a nominal value is its index
    in the declared list, NaN is missing); ``columns`` describes each of its columns
    as a :class:`Column`; ``label_columns`` are the indices of the labels.
    """
    # uint8: a 16k x 983 label matrix is 15 MiB, not the 121 MiB of int64.
    Y = np.empty((matrix.shape[0], len(label_columns)), dtype=np.uint8)
    for j, cells in enumerate(_label_columns(matrix, label_columns)):
        column = columns[label_columns[j]]
        if np.isnan(cells).any():
            raise ValueError(f"{filename}: label column {column.name!r} has missing values")
        if column.values is not None:
            # A nominal label counts only when it is declared as the text 0 or 1.
            as_number = {"0": 0.0, "1": 1.0}
            table = np.array([as_number.get(v, np.nan) for v in column.values])
            cells = table[cells.astype(np.int64)]
        if not np.isin(cells, (0.0, 1.0)).all():
            raise ValueError(
                f"{filename}: label column {column.name!r} has values other than 0/1"
            )
        Y[:, j] = cells
    return Y


def split_features_and_labels(matrix, columns, label_columns, filename):
    """Cut a decoded table into a :class:`MultilabelDataset` at ``label_columns``.

    ``matrix`` is dense or CSR with one column per entry of ``columns``.
    """
    label_columns = list(label_columns)
    is_label = np.zeros(len(columns), dtype=bool)
    is_label[label_columns] = True
    feature_columns = np.flatnonzero(~is_label)
    dataset = MultilabelDataset(
        X=matrix[:, feature_columns],
        Y=label_matrix(matrix, columns, label_columns, filename),
        label_names=[columns[i].name for i in label_columns],
        feature_names=[columns[i].name for i in feature_columns],
    )
    warn_missing_values(dataset.X, filename)
    return dataset
