"""Option text -> value for ``skmultimlp benchmark`` (argparse ``type=`` functions).

Each raises :class:`argparse.ArgumentTypeError`, which argparse turns into
``argument --OPTION: MESSAGE``; :func:`parse_value` never raises.
"""

import argparse
import ast
import re
from pathlib import Path

ESTIMATOR_NAMES = ("mlp", "rf", "mo_lr", "cc_lr", "knn", "sk_mlp")

_CONSTANTS = {"true": True, "false": False, "none": None}


def positive_int(text):
    """Parse a strictly positive integer."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return int(text)


def label_columns(text):
    """``'3'`` -> 3 (the last 3 columns); ``'a,b'`` -> ``['a', 'b']``."""
    if text.isdigit():
        return positive_int(text)
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"empty column name in {text!r}")
    return names


def cv_spec(text):
    """``'10x3'`` -> (10, 3); ``'5'`` -> (5, 1)."""
    match = re.fullmatch(r"\s*(\d+)\s*(?:[xX]\s*(\d+)\s*)?", text)
    if not match:
        raise argparse.ArgumentTypeError(
            f"expected FOLDSxREPEATS such as 10x3, got {text!r}"
        )
    n_splits, n_repeats = int(match[1]), int(match[2] or 1)
    if n_splits < 2 or n_repeats < 1:
        raise argparse.ArgumentTypeError(
            f"need at least 2 folds and 1 repeat, got {text!r}"
        )
    return n_splits, n_repeats


def estimator_names(text):
    """``'mlp,rf'`` -> ``['mlp', 'rf']``, checked against the known names."""
    names = [name.strip() for name in text.split(",")]
    unknown = [name for name in names if name not in ESTIMATOR_NAMES]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown estimator {unknown[0]!r}; choose from {','.join(ESTIMATOR_NAMES)}"
        )
    if len(set(names)) != len(names):
        raise argparse.ArgumentTypeError(f"estimator listed twice in {text!r}")
    return names


def override(text):
    """``'key=value'`` -> ``('key', parsed value)``."""
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key.isidentifier():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, parse_value(value)


def parse_value(text):
    """Read a ``--set`` value: a Python literal, a bool, None, a number or a string.

    Parameters
    ----------
    text : str
        The text after ``=``.

    Returns
    -------
    value : object
        ``true``/``false``/``none`` in any case as bool or None; a Python
        literal (:func:`ast.literal_eval`: numbers, quoted strings, tuples,
        lists) as such; otherwise comma-separated values as a tuple of those
        (``64,64`` -> ``(64, 64)``; ``64,`` -> ``(64,)``; ``relu,tanh`` ->
        ``('relu', 'tanh')``), ``inf``/``nan`` and numbers with leading zeros
        as numbers, anything else as the string itself (``relu``).

    Examples
    --------
    >>> from skmultimlp._cli_options import parse_value
    >>> parse_value("64,32"), parse_value("0.2"), parse_value("True"), parse_value("relu")
    ((64, 32), 0.2, True, 'relu')
    """
    text = text.strip()
    if text.lower() in _CONSTANTS:
        return _CONSTANTS[text.lower()]
    try:
        return ast.literal_eval(text)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        pass
    # Not a literal: bare words (relu, true,false), "64,,64", "inf", "007".
    if "," in text:
        return tuple(parse_value(item) for item in text.split(",") if item.strip())
    for number in (int, float):
        try:
            return number(text)
        except ValueError:
            pass
    return text


def output_path(text):
    """A ``.json`` or ``.csv`` path in an existing folder."""
    path = new_file(text)
    if path.suffix.lower() not in (".json", ".csv"):
        raise argparse.ArgumentTypeError(
            f"output must end in .json or .csv, got {text!r}"
        )
    return path


def new_file(text):
    """A path whose folder exists, checked now rather than after the run."""
    path = Path(text)
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"folder not found: {path.parent}")
    return path
