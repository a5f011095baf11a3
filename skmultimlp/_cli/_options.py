"""The options of ``skmultimlp benchmark``: option text -> value, then one frozen
:class:`BenchmarkOptions`.

The argparse ``type=`` functions raise :class:`argparse.ArgumentTypeError`, which
argparse turns into ``argument --OPTION: MESSAGE``; :func:`parse_value` never
raises. :func:`benchmark_options` then checks the options against each other
(``--set`` against the MLP, ``--protocol`` against ``--cv``) and resolves the
defaults that depend on others, once; it and the problems found later (in the
data, say) raise :class:`UsageError`.
"""

import argparse
import ast
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .. import MultiLabelMLPClassifier
from .._compat import validate_parameter_constraints
from ..benchmark._baselines import BASELINES, DEFAULT_NAMES, MLP_NAMES, TUNED_SUFFIX, is_mlp

#: The default ``--estimators``; each name of ``BASELINES`` also comes tuned as
#: ``NAME_tuned``, and the rows not in the default run are there on request.
ESTIMATOR_NAMES = DEFAULT_NAMES
ALL_ESTIMATOR_NAMES = tuple(f"{name}{suffix}" for suffix in ("", TUNED_SUFFIX)
                            for name in BASELINES)
TUNE_SCORINGS = ("f1_micro", "f1_macro", "f1_samples")
TUNE_STRATEGIES = ("global", "per_label")
PROTOCOLS = ("cv", "train-test")
OUTPUT_SUFFIXES = (".json", ".csv")
PLOT_SUFFIXES = (".png", ".svg", ".pdf")
MAX_SEED = 2**32 - 1  # what numpy.random.RandomState accepts
DEFAULT_CV = (10, 3)  # folds, repeats


class UsageError(Exception):
    """A problem with the command line or the data, reported in one line."""


_CONSTANTS = {"true": True, "false": False, "none": None}


def _is_digits(text):
    """True for ASCII digits only: ``'²'.isdigit()`` is true but ``int('²')`` fails."""
    return text.isascii() and text.isdigit()


def positive_int(text):
    """Parse a strictly positive integer."""
    if not _is_digits(text) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return int(text)


def n_jobs(text):
    """A non-zero integer: a number of jobs, or -1 for all CPUs (-2: all but one)."""
    digits = text.strip()
    if not _is_digits(digits.removeprefix("-")) or int(digits) == 0:
        raise argparse.ArgumentTypeError(
            f"expected a non-zero integer (-1: all CPUs), got {text!r}"
        )
    return int(digits)


def seed(text):
    """An integer seed from 0 to 2**32 - 1."""
    digits = text.strip()
    if not _is_digits(digits) or int(digits) > MAX_SEED:
        raise argparse.ArgumentTypeError(
            f"expected an integer from 0 to {MAX_SEED}, got {text!r}"
        )
    return int(digits)


def label_columns(text):
    """``'3'`` -> 3 (the last 3 columns); ``'a,b'`` -> ``['a', 'b']``."""
    if _is_digits(text):
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
    unknown = [name for name in names if name not in ALL_ESTIMATOR_NAMES]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown estimator {unknown[0]!r}; choose from "
            f"{','.join(BASELINES)}, "
            f"each also as NAME{TUNED_SUFFIX}"
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
    >>> from skmultimlp._cli._options import parse_value
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
    """A ``.json`` or ``.csv`` path that can be written, checked before the run."""
    return _writable(text, OUTPUT_SUFFIXES, "output")


def plot_path(text):
    """A ``.png``, ``.svg`` or ``.pdf`` path that can be written."""
    return _writable(text, PLOT_SUFFIXES, "plot")


def _writable(text, suffixes, what):
    """``text`` as a path with one of ``suffixes`` whose folder takes a new file."""
    path = Path(text)
    if path.suffix.lower() not in suffixes:
        known = ", ".join(suffixes[:-1]) + f" or {suffixes[-1]}"
        raise argparse.ArgumentTypeError(f"{what} must end in {known}, got {text!r}")
    folder = path.parent
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"folder not found: {folder}")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{path} is a folder")
    if path.exists() and not os.access(path, os.W_OK):
        raise argparse.ArgumentTypeError(f"cannot write {path}: permission denied")
    try:  # os.access is no proof (root, read-only or network file systems)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise argparse.ArgumentTypeError(
            f"cannot write in folder {folder}: {exc.strerror}"
        ) from None
    return path


@dataclass(frozen=True)
class BenchmarkOptions:
    """The options of one ``skmultimlp benchmark`` run, checked and resolved.

    The run's metadata holds every field (:func:`dataclasses.asdict`), so that a
    new option is one field here and one ``add_argument`` in ``_main``.
    """

    #: ``--data`` as given (or the train and the test file of ``--protocol
    #: train-test``); None: the tutorial dataset.
    data_paths: tuple | None
    #: ``--labels`` and ``--label-columns``.
    labels: int | None
    label_columns: int | list | None
    protocol: str
    #: ``--cv`` (10x3 by default); 1 and 1 for ``--protocol train-test``.
    n_splits: int
    n_repeats: int
    stratified: bool
    estimators: tuple
    tune_scoring: str
    tune_strategy: str
    #: ``--set`` as parameter name -> value (the last one wins).
    mlp_overrides: dict
    n_jobs: int
    random_state: int
    output: Path | None
    plot: Path | None


def benchmark_options(args):
    """The :class:`BenchmarkOptions` of a parsed ``benchmark`` command line.

    Raises
    ------
    UsageError
        If ``--set`` names no parameter of the MLP (or no MLP runs), or
        ``--protocol train-test`` meets ``--cv`` or ``--stratified`` or lacks
        its two files.
    """
    _check_overrides(args.overrides, args.estimators)
    data, (n_splits, n_repeats) = _protocol(args)
    return BenchmarkOptions(
        data_paths=None if data is None else tuple(str(path) for path in data),
        labels=args.labels,
        label_columns=args.label_columns,
        protocol=args.protocol,
        n_splits=n_splits,
        n_repeats=n_repeats,
        stratified=args.stratified,
        estimators=tuple(args.estimators),
        tune_scoring=args.tune_scoring,
        tune_strategy=args.tune_strategy,
        mlp_overrides=dict(args.overrides),
        n_jobs=args.n_jobs,
        random_state=args.random_state,
        output=args.output,
        plot=args.plot,
    )


def _check_overrides(overrides, estimators):
    """Raise :class:`UsageError` if ``--set`` names no parameter of the MLP."""
    if overrides and not any(is_mlp(name) for name in estimators):
        raise UsageError(
            f"--set changes the MLP, but no MLP estimator ({', '.join(MLP_NAMES)}, or either "
            f"with {TUNED_SUFFIX}) is in --estimators"
        )
    known = MultiLabelMLPClassifier().get_params(deep=False)
    for key, _ in overrides:
        if key not in known:
            raise UsageError(
                f"--set: MultiLabelMLPClassifier has no parameter {key!r}; "
                f"choose from {', '.join(sorted(known))}"
            )
    try:
        validate_parameter_constraints(
            MultiLabelMLPClassifier._parameter_constraints,
            {**known, **dict(overrides)},
            caller_name="MultiLabelMLPClassifier",
        )
    except ValueError as error:
        raise UsageError(f"--set: {error}") from None


def _protocol(args):
    """``--protocol`` resolved: the data files and the (folds, repeats) of ``--cv``."""
    if args.protocol == "cv":
        return args.data, DEFAULT_CV if args.cv is None else args.cv
    if args.cv is not None or args.stratified:
        flag = "--cv" if args.cv is not None else "--stratified"
        raise UsageError(f"{flag} does not apply to --protocol train-test (one predefined split)")
    return train_test_paths(args.data), (1, 1)


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
