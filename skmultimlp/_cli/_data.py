"""The data of ``skmultimlp benchmark --data``: loading, checking and stacking files.

Every problem with a file (not found, unreadable, not UTF-8, no 0/1 labels,
columns that differ between the files to stack) becomes a
:class:`~skmultimlp._cli._options.UsageError` naming the file.
"""

from pathlib import Path

import numpy as np
from scipy import sparse

from ..benchmark._compare import first_line
from ._options import UsageError


def load(args):
    """The data of ``--data`` (or the tutorial set): name, X, Y, label names, rows per file.

    Several files are stacked row-wise in the given order; they must have the
    same features and the same label names.
    """
    from ..datasets import make_tutorial_dataset

    if args.data is None:
        X, Y = make_tutorial_dataset()
        return "tutorial", X, Y, [f"label_{j}" for j in range(Y.shape[1])], [X.shape[0]]
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
    sizes = [part[1].shape[0] for part in parts]
    return "+".join(part[0].stem for part in parts), X, Y, label_names, sizes


def train_test_paths(data):
    """The (train, test) files of ``--protocol train-test``.

    Two files are taken as given; one file ``NAME.ext`` (or ``NAME-train.ext``
    or ``NAME-test.ext``) stands for the ``NAME-train.ext`` and
    ``NAME-test.ext`` beside it, as the Mulan collection ships them.
    """
    if data is None or len(data) > 2:
        raise UsageError(
            "--protocol train-test needs --data NAME-train.arff NAME-test.arff, "
            "or one NAME.arff with those two files beside it"
        )
    if len(data) == 2:
        return list(data)
    path = Path(data[0])
    stem = path.stem
    for part in ("-train", "-test"):
        stem = stem.removesuffix(part)
    pair = [path.with_name(f"{stem}-{part}{path.suffix}") for part in ("train", "test")]
    missing = [str(file) for file in pair if not file.is_file()]
    if missing:
        raise UsageError(
            f"--protocol train-test: {' and '.join(missing)} not found "
            "(or give the train and the test file to --data)"
        )
    return pair


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
    from ..datasets import load_dataset

    if not path.is_file():
        raise UsageError(f"data file not found: {path}")
    _check_xml_agrees(path, args.labels)
    try:
        X, Y, label_names, feature_names = load_dataset(
            path, n_labels=args.labels, label_columns=args.label_columns
        )
    except UnicodeDecodeError as exc:
        raise UsageError(_not_utf8(path, exc)) from None
    except (OSError, ValueError) as exc:
        message = _cli_wording(first_line(exc) or type(exc).__name__)
        if path.name not in message:
            message = f"{path.name}: {message}"
        raise UsageError(message) from None
    _check_labels(Y, path)
    return path, X, Y, label_names, feature_names


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
    from ..datasets._mulan_meka import _companion_xml, _xml_label_names

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
