"""The data of ``skmultimlp benchmark --data``: loading, checking and stacking files.

Every problem with a file (not found, unreadable, not UTF-8, no 0/1 labels,
columns that differ between the files to stack) becomes a
:class:`~skmultimlp._cli._options.UsageError` naming the file.
"""

from pathlib import Path
from typing import NamedTuple

import numpy as np
from scipy import sparse

from .. import datasets
from ..benchmark._compare import first_line
from ..datasets._mulan_meka import _companion_xml, _xml_label_names
from ._options import UsageError


class Dataset(NamedTuple):
    """The data of a run: the name, X, Y, the label names and the rows of each file."""

    name: str
    X: object
    Y: object
    label_names: list
    sizes: list


class DataFile(NamedTuple):
    """One ``--data`` file as loaded."""

    path: Path
    X: object
    Y: object
    label_names: list
    feature_names: list


def load(options):
    """The :class:`Dataset` of ``--data`` (or the tutorial set).

    Several files are stacked row-wise in the given order; they must have the
    same features and the same label names.
    """
    if options.data_paths is None:
        X, Y = datasets.make_tutorial_dataset()
        return Dataset("tutorial", X, Y, [f"label_{j}" for j in range(Y.shape[1])], [X.shape[0]])
    parts = [_load_file(Path(path), options) for path in options.data_paths]
    first = parts[0]
    X, Y = first.X, first.Y
    for part in parts[1:]:
        _check_stackable(part, first)
    if len(parts) > 1:
        if any(sparse.issparse(part.X) for part in parts):
            X = sparse.vstack([sparse.csr_matrix(part.X) for part in parts], format="csr")
        else:
            X = np.vstack([part.X for part in parts])
        Y = np.vstack([part.Y for part in parts])
    sizes = [part.X.shape[0] for part in parts]
    return Dataset("+".join(part.path.stem for part in parts), X, Y, first.label_names, sizes)


def _check_stackable(part, first):
    """Raise :class:`UsageError` unless a :class:`DataFile` has the first file's columns."""
    name, first_name = part.path.name, first.path.name
    if part.X.shape[1] != first.X.shape[1]:
        raise UsageError(
            f"{name} has {part.X.shape[1]} features, "
            f"{first_name} has {first.X.shape[1]}: cannot stack them"
        )
    if list(part.label_names) != list(first.label_names):
        raise UsageError(
            f"{name} and {first_name} have different labels: "
            "cannot stack them"
        )
    for column, (mine, theirs) in enumerate(zip(part.feature_names, first.feature_names), 1):
        if str(mine) != str(theirs):
            raise UsageError(
                f"{name} and {first_name} have different features "
                f"(column {column}: {mine!r} and {theirs!r}): cannot stack them"
            )


def _load_file(path, options):
    """One ``--data`` file as a :class:`DataFile`, or a :class:`UsageError`."""
    if not path.is_file():
        raise UsageError(f"data file not found: {path}")
    _check_xml_agrees(path, options.labels)
    try:
        X, Y, label_names, feature_names = datasets.load_dataset(
            path, n_labels=options.labels, label_columns=options.label_columns
        )
    except UnicodeDecodeError as exc:
        raise UsageError(_not_utf8(path, exc)) from None
    except (OSError, ValueError) as exc:
        message = _cli_wording(first_line(exc) or type(exc).__name__)
        if path.name not in message:
            message = f"{path.name}: {message}"
        raise UsageError(message) from None
    _check_labels(Y, path)
    return DataFile(path, X, Y, label_names, feature_names)


def _cli_wording(message):
    """A loader's message with its keyword arguments named as this command's flags."""
    message = message.replace("pass label_columns or n_labels", "pass --label-columns or --labels")
    return message.replace("pass n_labels", "pass --labels N")


def _check_xml_agrees(path, n_labels):
    """Raise :class:`UsageError` if ``--labels`` contradicts the file's companion XML.

    ``--labels`` takes precedence over NAME.xml in the loader; a count that
    differs from the XML's would silently read label columns as features (or
    the reverse), so it is refused. An equal count is harmless.
    """
    if n_labels is None or path.suffix.lower() != ".arff":
        return
    xml = _companion_xml(path)
    if xml is None:
        return
    try:
        n_xml = len(_xml_label_names(xml))
    except (OSError, ValueError):  # unreadable: the loader does not read it either
        return
    if n_xml != n_labels:
        raise UsageError(
            f"{path.name}: --labels {n_labels} contradicts {xml.name} ({n_xml} labels); "
            "leave out --labels to use the XML file"
        )


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
