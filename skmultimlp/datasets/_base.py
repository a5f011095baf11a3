"""What every reader shares: the returned named tuple and the checks on labels."""

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
    Y : ndarray of shape (n_samples, n_labels)
        The label indicator matrix, integers 0 and 1.
    label_names : list of str
        The name of each column of ``Y``, in file order.
    feature_names : list of str
        The name of each column of ``X``, in file order.
    """

    X: "np.ndarray | sparse.csr_matrix"
    Y: np.ndarray
    label_names: list
    feature_names: list


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


def label_matrix(values, columns, filename):
    """Turn decoded label columns into a 0/1 integer matrix, checking every value.

    ``values`` holds one float per cell (a nominal value is its index in the declared
    list, NaN is missing); ``columns`` describes each column as a :class:`Column`.
    """
    Y = np.empty(values.shape, dtype=np.int64)
    for j, column in enumerate(columns):
        cells = values[:, j]
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
    is_label = np.zeros(len(columns), dtype=bool)
    is_label[label_columns] = True
    feature_columns = np.flatnonzero(~is_label)
    label_values = matrix[:, label_columns]
    if sparse.issparse(label_values):
        label_values = label_values.toarray()
    return MultilabelDataset(
        X=matrix[:, feature_columns],
        Y=label_matrix(label_values, [columns[i] for i in label_columns], filename),
        label_names=[columns[i].name for i in label_columns],
        feature_names=[columns[i].name for i in feature_columns],
    )
