"""Multi-label CSV files: a header row, then one row of numbers per sample."""

import csv

import numpy as np

from ._base import Column, existing_file, split_features_and_labels


def _csv_columns(header, label_columns, filename):
    """Split the header's column positions into features and labels."""
    if isinstance(label_columns, (int, np.integer)) and not isinstance(
        label_columns, bool
    ):
        if not 1 <= label_columns < len(header):
            raise ValueError(
                f"{filename}: label_columns={label_columns} is out of range for "
                f"{len(header)} columns (need 1 <= label_columns <= {len(header) - 1})"
            )
        labels = list(range(len(header) - label_columns, len(header)))
    else:
        names = list(label_columns)
        unknown = [name for name in names if name not in header]
        if unknown or not names:
            raise ValueError(
                f"{filename}: label columns {unknown or names} not in the header"
            )
        labels = [header.index(name) for name in names]
    features = [i for i in range(len(header)) if i not in set(labels)]
    if not features:
        raise ValueError(f"{filename}: every column is a label; no features left")
    return features, labels


def load_csv(path, label_columns):
    """Load a multi-label dataset from a CSV file with a header row.

    Parameters
    ----------
    path : str or path-like
        Comma-separated file; the first row names the columns. Every cell must be a
        number; an empty cell or ``?`` is a missing feature value (NaN).
    label_columns : int or list of str
        The label columns: an int ``N`` for the last ``N`` columns, or their names
        (``Y``'s columns then follow the order given).

    Returns
    -------
    dataset : MultilabelDataset
        ``(X, Y, label_names, feature_names)`` with a dense float64 ``X`` and a 0/1
        integer ``Y``.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If a row has the wrong number of cells, a cell is not a number, a label
        column is unknown, missing values or holds values other than 0/1.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skmultimlp.datasets import load_csv
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "toy.csv"
    ...     _ = path.write_text("x,y,rain,wind\\n0.5,2,1,0\\n1.5,,0,1\\n")
    ...     dataset = load_csv(path, label_columns=["wind", "rain"])
    >>> dataset.X
    array([[0.5, 2. ],
           [1.5, nan]])
    >>> dataset.Y
    array([[0, 1],
           [1, 0]])
    >>> dataset.label_names
    ['wind', 'rain']
    """
    path = existing_file(path)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.reader(handle) if row]
    if len(rows) < 2:
        raise ValueError(
            f"{path.name}: expected a header row and at least one data row"
        )
    header = [name.strip() for name in rows[0]]
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise ValueError(
                f"{path.name}, row {number}: expected {len(header)} cells, "
                f"got {len(row)}"
            )
    _, labels = _csv_columns(header, label_columns, path.name)
    cells = np.char.strip(np.array(rows[1:]))
    cells[(cells == "") | (cells == "?")] = "nan"
    try:
        values = cells.astype(np.float64)
    except ValueError as exc:
        raise ValueError(f"{path.name}: a cell is not a number ({exc})") from None
    columns = [Column(name) for name in header]
    return split_features_and_labels(values, columns, labels, path.name)


