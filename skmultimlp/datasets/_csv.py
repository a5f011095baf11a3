"""Multi-label CSV files: a header row, then one row of numbers per sample."""

import csv
import math
from array import array

import numpy as np

from ._base import (
    LONGEST_NUMBER,
    Column,
    check_unique_names,
    existing_file,
    open_text,
    parse_number,
    split_features_and_labels,
)


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


def _cell_value(cell, where):
    """One cell as a float: empty or ``?`` is missing (NaN), else a number."""
    cell = cell.strip()
    if cell in ("", "?"):
        return math.nan
    return parse_number(cell, where)


def _rows(reader, filename):
    """The non-empty rows of ``reader`` with the line each ends on."""
    try:
        for row in reader:
            if row:
                yield reader.line_num, row
    except csv.Error as exc:
        raise ValueError(f"{filename}, line {reader.line_num}: {exc}") from None


def _read_values(rows, n_columns, filename):
    """Decode the data rows one at a time into one growing float64 buffer."""
    values, n_rows = array("d"), 0
    for number, row in rows:
        if len(row) != n_columns:
            raise ValueError(
                f"{filename}, line {number}: expected {n_columns} cells, got {len(row)}"
            )
        # The fast path: float() skips surrounding spaces; an empty cell, '?' or a
        # bad one makes it fail and the row is redone by _cell_value.
        if max(map(len, row)) <= LONGEST_NUMBER:
            try:
                values.extend([float(cell) for cell in row])
                n_rows += 1
                continue
            except ValueError:
                pass
        where = f"{filename}, line {number}"
        values.extend([_cell_value(cell, where) for cell in row])
        n_rows += 1
    if not n_rows:
        raise ValueError(f"{filename}: expected a header row and at least one data row")
    return np.frombuffer(values, dtype=np.float64).reshape(n_rows, n_columns)


def load_csv(path, label_columns):
    """Load a multi-label dataset from a CSV file with a header row.

    Parameters
    ----------
    path : str or path-like
        Comma-separated file; the first row names the columns. Every cell must be a
        number; an empty cell or ``?`` is a missing feature value (NaN; a
        ``UserWarning`` says how many). Read as UTF-8, row by row.
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
        column is unknown, missing values or holds values other than 0/1, a name
        appears twice, or the file is not UTF-8. The message names the file, and the
        line where it applies.

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
           [1, 0]], dtype=uint8)
    >>> dataset.label_names
    ['wind', 'rain']
    """
    path = existing_file(path)
    with open_text(path, newline="") as handle:
        rows = _rows(csv.reader(handle), path.name)
        number, header = next(rows, (1, None))
        if header is None:
            raise ValueError(
                f"{path.name}: expected a header row and at least one data row"
            )
        header = [name.strip() for name in header]
        check_unique_names(header, f"{path.name}, line {number}")
        _, labels = _csv_columns(header, label_columns, path.name)
        values = _read_values(rows, len(header), path.name)
    columns = [Column(name) for name in header]
    return split_features_and_labels(values, columns, labels, path.name)
