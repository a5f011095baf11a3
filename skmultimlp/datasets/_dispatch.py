"""Choosing the reader of a dataset file from its suffix."""

from pathlib import Path

from ._csv import load_csv
from ._libsvm import load_libsvm_multilabel
from ._mulan_meka import load_arff

# Each reader takes (path, n_labels, label_columns) and refuses what does not apply.


def _read_csv(path, n_labels, label_columns):
    columns = label_columns if label_columns is not None else n_labels
    if columns is None:
        raise ValueError(f"{path.name}: pass label_columns or n_labels for a CSV file")
    return load_csv(path, columns)


def _read_arff(path, n_labels, label_columns):
    return load_arff(path, n_labels=n_labels)


def _read_libsvm(path, n_labels, label_columns):
    if n_labels is not None:
        raise ValueError(
            "n_labels does not apply to LIBSVM files: labels are listed per row"
        )
    return load_libsvm_multilabel(path)


_LIBSVM_SUFFIXES = {".svm", ".libsvm", ".svmlight", ".txt"}
# File suffix (lower case) -> reader: a new format is one module and one entry here.
_READERS = {
    ".arff": _read_arff,
    ".csv": _read_csv,
    **{suffix: _read_libsvm for suffix in _LIBSVM_SUFFIXES},
}


def load_dataset(path, n_labels=None, label_columns=None):
    """Load a multi-label dataset, choosing the reader from the file's suffix.

    ``.arff`` goes to :func:`load_arff`, ``.csv`` to :func:`load_csv`, and
    ``.svm``, ``.libsvm``, ``.svmlight`` and ``.txt`` to
    :func:`load_libsvm_multilabel`.

    Parameters
    ----------
    path : str or path-like
        The dataset file.
    n_labels : int, default=None
        ARFF: number of label attributes (see :func:`load_arff`). CSV: the last
        ``n_labels`` columns are labels, unless ``label_columns`` is given.
    label_columns : int or list of str, default=None
        CSV only: the label columns (see :func:`load_csv`).

    Returns
    -------
    dataset : MultilabelDataset
        ``(X, Y, label_names, feature_names)``.

    Raises
    ------
    ValueError
        If the suffix is unknown, or an argument does not apply to the format.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skmultimlp.datasets import load_dataset
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "toy.csv"
    ...     _ = path.write_text("x,rain,wind\\n0.5,1,0\\n1.5,0,1\\n")
    ...     X, Y, label_names, feature_names = load_dataset(path, n_labels=2)
    >>> Y.shape, label_names
    ((2, 2), ['rain', 'wind'])
    """
    path = Path(path)
    suffix = path.suffix.lower()
    read = _READERS.get(suffix)
    if label_columns is not None and read is not _read_csv:
        raise ValueError("label_columns applies to CSV files only")
    if read is None:
        raise ValueError(
            f"{path.name}: unknown dataset format {suffix!r}; expected .arff, .csv or "
            f"one of {sorted(_LIBSVM_SUFFIXES)}"
        )
    return read(path, n_labels, label_columns)
