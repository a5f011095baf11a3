"""The data of ``skmultimlp benchmark --data``: loading, checking and stacking files.

Every problem with a file (not found, unreadable, not UTF-8, no 0/1 labels,
columns that differ between the files to stack) becomes a
:class:`~skmultimlp._cli_options.UsageError` naming the file.
"""

from pathlib import Path

import numpy as np
from scipy import sparse

from ._cli_options import UsageError


def _first_line(exc):
    """The first non-empty line of an exception's message."""
    lines = [line for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def load(args):
    """The data of ``--data`` (or the tutorial set): name, X, Y and label names.

    Several files are stacked row-wise in the given order; they must have the
    same features and the same label names.
    """
    from .datasets import make_tutorial_dataset

    if args.data is None:
        X, Y = make_tutorial_dataset()
        return "tutorial", X, Y, [f"label_{j}" for j in range(Y.shape[1])]
    parts = [_load_file(Path(path), args) for path in args.data]
    first_path, X, Y, label_names, feature_names = parts[0]
    for path, X_more, _, names_more, features_more in parts[1:]:
        _check_stackable(path, X_more, names_more, features_more, parts[0])
    if len(parts) > 1:
        if any(sparse.issparse(part[1]) for part in parts):
            X = sparse.vstack([sparse.csr_matrix(part[1]) for part in parts], format="csr")
        else:
            X = np.vstack([part[1] for part in parts])
        Y = np.vstack([part[2] for part in parts])
    return "+".join(part[0].stem for part in parts), X, Y, label_names


def _check_stackable(path, X, label_names, feature_names, first):
    """Raise :class:`UsageError` unless a file has the first file's columns."""
    first_path, first_X, _, first_labels, first_features = first
    if X.shape[1] != first_X.shape[1]:
        raise UsageError(
            f"{path.name} has {X.shape[1]} features, "
            f"{first_path.name} has {first_X.shape[1]}: cannot stack them"
        )
    if list(label_names) != list(first_labels):
        raise UsageError(
            f"{path.name} and {first_path.name} have different labels: "
            "cannot stack them"
        )
    for column, (mine, theirs) in enumerate(zip(feature_names, first_features), 1):
        if str(mine) != str(theirs):
            raise UsageError(
                f"{path.name} and {first_path.name} have different features "
                f"(column {column}: {mine!r} and {theirs!r}): cannot stack them"
            )


def _load_file(path, args):
    """One ``--data`` file: path, X, Y, label and feature names, or a :class:`UsageError`."""
    from .datasets import load_dataset

    if not path.is_file():
        raise UsageError(f"data file not found: {path}")
    try:
        X, Y, label_names, feature_names = load_dataset(
            path, n_labels=args.labels, label_columns=args.label_columns
        )
    except UnicodeDecodeError as exc:
        raise UsageError(_not_utf8(path, exc)) from None
    except (OSError, ValueError) as exc:
        message = _first_line(exc)
        if path.name not in message:
            message = f"{path.name}: {message}"
        raise UsageError(message) from None
    _check_labels(Y, path)
    return path, X, Y, label_names, feature_names


def _not_utf8(path, exc):
    """Name the file, line and byte that are not UTF-8 (the error knows neither)."""
    with open(path, "rb") as file:
        for number, line in enumerate(file, 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as error:
                return (
                    f"{path.name}, line {number}: not UTF-8 text (byte "
                    f"{line[error.start]:#04x} at column {error.start + 1}); "
                    "save the file as UTF-8"
                )
    return f"{path.name}: not {exc.encoding} text ({exc.reason})"


def _check_labels(Y, path):
    """Raise :class:`UsageError` unless ``Y`` is a 0/1 matrix with a label or more."""
    if Y.ndim != 2 or Y.shape[1] < 1:
        raise UsageError(f"{path.name}: no label columns found")
    if not np.isin(Y, (0, 1)).all():
        raise UsageError(f"{path.name}: labels must be 0/1, found other values")
