"""The ``skmultimlp`` command line: ``skmultimlp benchmark [options]``.

Also runs as ``python -m skmultimlp``. See ``skmultimlp benchmark --help``.
"""

import argparse
import datetime
import json
import os
import platform
import re
import sys
import warnings
from importlib import metadata
from pathlib import Path

import numpy as np
from joblib import parallel_config
from scipy import sparse
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import RepeatedKFold

from . import MultiLabelMLPClassifier, __version__
from ._compat import validate_parameter_constraints
from .benchmark import METRICS, TIMES, compare, default_estimators

HEADERS = {
    "subset_accuracy": "subset acc",
    "hamming_loss": "hamming loss",
    "f1_micro": "F1 micro",
    "f1_macro": "F1 macro",
    "f1_samples": "F1 samples",
    "roc_auc_macro": "ROC AUC macro",
    "fit_time": "fit (s)",
    "predict_time": "predict (s)",
}

ESTIMATOR_NAMES = ("mlp", "rf", "mo_lr", "cc_lr", "knn", "sk_mlp")

EPILOG = """\
examples:
  skmultimlp benchmark
  skmultimlp benchmark --data emotions.arff --cv 5x2 --estimators mlp,rf
  skmultimlp benchmark --data scores.csv --label-columns 3 --output results.json
  skmultimlp benchmark --data scene-train.arff scene-test.arff --cv 10x3
  skmultimlp benchmark --set hidden_layer_sizes=64,64 --set dropout=0.2 --plot r.png
"""


class UsageError(Exception):
    """A problem with the command line or the data, reported in one line."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors raise :class:`UsageError` instead of exiting."""

    def error(self, message):
        raise UsageError(message)


def main(argv=None):
    """Run the command line.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments after the program name; ``None`` reads ``sys.argv``.

    Returns
    -------
    status : int
        0 on success, 2 when the arguments or the data are unusable (after
        printing one line naming the problem on standard error), 130 when
        interrupted with Ctrl-C.
    """
    parser = _build_parser()
    log_level = os.environ.get("TF_CPP_MIN_LOG_LEVEL")
    try:
        args = parser.parse_args(argv)
        return args.command(args)
    except UsageError as exc:
        print(f"skmultimlp: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("skmultimlp: interrupted", file=sys.stderr)
        return 130
    finally:  # the quiet TensorFlow log level is for this command only
        if log_level is None:
            os.environ.pop("TF_CPP_MIN_LOG_LEVEL", None)
        else:
            os.environ["TF_CPP_MIN_LOG_LEVEL"] = log_level


def _build_parser():
    """The ``skmultimlp`` parser and its ``benchmark`` subcommand."""
    parser = _Parser(prog="skmultimlp", description="skmultimlp command line tools.")
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    bench = commands.add_parser(
        "benchmark",
        help="cross-validate the MLP against standard multi-label baselines",
        description="Cross-validate multi-label classifiers on one dataset and\n"
        "report mean ± std of each metric over the folds. Warnings raised while\n"
        "fitting are not shown; an estimator that fails gets n/a and one line.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bench.set_defaults(command=run_benchmark)
    data = bench.add_argument_group("data")
    data.add_argument(
        "--data",
        metavar="FILE",
        nargs="+",
        help="ARFF (Mulan or MEKA), CSV or multi-label libsvm file; several files "
        "(such as a train and a test split) are stacked into one dataset "
        "(default: the tutorial dataset, 1000 samples, 10 features, 3 labels)",
    )
    data.add_argument(
        "--labels",
        type=_positive_int,
        metavar="N",
        help="number of labels: the last N attributes of an ARFF file (default: "
        "from NAME.xml or MEKA's -C N), or the last N columns of a CSV file",
    )
    data.add_argument(
        "--label-columns",
        type=_label_columns,
        metavar="SPEC",
        help="CSV label columns: names 'a,b,c', or a count N for the last N columns",
    )
    run = bench.add_argument_group("evaluation")
    run.add_argument(
        "--cv",
        type=_cv_spec,
        default=(10, 3),
        metavar="KxR",
        help="K folds repeated R times (default: 10x3)",
    )
    run.add_argument(
        "--stratified",
        action="store_true",
        help="iterative multi-label stratification instead of plain K-fold",
    )
    run.add_argument(
        "--estimators",
        type=_estimator_names,
        default=list(ESTIMATOR_NAMES),
        metavar="LIST",
        help=f"comma-separated, from {','.join(ESTIMATOR_NAMES)} (default: all)",
    )
    run.add_argument(
        "--set",
        type=_override,
        action="append",
        default=[],
        dest="overrides",
        metavar="KEY=VALUE",
        help="set a MultiLabelMLPClassifier parameter, e.g. "
        "hidden_layer_sizes=64,64 or early_stopping=true (repeatable)",
    )
    run.add_argument(
        "--n-jobs",
        type=int,
        default=1,
        metavar="N",
        help="parallel jobs (default: 1; -1: all CPUs)",
    )
    run.add_argument(
        "--random-state",
        type=int,
        default=0,
        metavar="SEED",
        help="seed of the folds and the estimators (default: 0)",
    )
    out = bench.add_argument_group("output")
    out.add_argument(
        "--output",
        type=_output_path,
        metavar="FILE",
        help="write results to FILE.json (with metadata and folds) or FILE.csv; "
        "quiet when standard output is not a terminal",
    )
    out.add_argument(
        "--plot", type=_new_file, metavar="FILE", help="save a bar chart (PNG)"
    )
    return parser


def _positive_int(text):
    """Parse a strictly positive integer."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return int(text)


def _label_columns(text):
    """``'3'`` -> 3 (the last 3 columns); ``'a,b'`` -> ``['a', 'b']``."""
    if text.isdigit():
        return _positive_int(text)
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"empty column name in {text!r}")
    return names


def _cv_spec(text):
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


def _estimator_names(text):
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


def _override(text):
    """``'key=value'`` -> ``('key', parsed value)``."""
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key.isidentifier():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, parse_value(value.strip())


def parse_value(text):
    """Read a ``--set`` value: bool, None, int, float, tuple or string.

    Parameters
    ----------
    text : str
        The text after ``=``.

    Returns
    -------
    value : object
        ``true``/``false`` (any case) as bool, ``none`` as None, numbers as
        int or float, comma-separated values as a tuple of those (``64,64`` ->
        ``(64, 64)``; ``64,`` -> ``(64,)``), anything else unchanged.

    Examples
    --------
    >>> from skmultimlp.__main__ import parse_value
    >>> parse_value("64,32"), parse_value("0.2"), parse_value("True")
    ((64, 32), 0.2, True)
    """
    if "," in text:
        items = [item.strip() for item in text.split(",")]
        return tuple(parse_value(item) for item in items if item)
    constants = {"true": True, "false": False, "none": None}
    if text.lower() in constants:
        return constants[text.lower()]
    for number in (int, float):
        try:
            return number(text)
        except ValueError:
            pass
    return text


def _output_path(text):
    """A ``.json`` or ``.csv`` path in an existing folder."""
    path = _new_file(text)
    if path.suffix.lower() not in (".json", ".csv"):
        raise argparse.ArgumentTypeError(
            f"output must end in .json or .csv, got {text!r}"
        )
    return path


def _new_file(text):
    """A path whose folder exists, checked now rather than after the run."""
    path = Path(text)
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"folder not found: {path.parent}")
    return path


def run_benchmark(args):
    """Load the data, cross-validate the estimators and report the results."""
    _check_overrides(args)
    name, X, Y, label_names = _load(args)
    info = _metadata(args, name, X.shape, label_names)
    quiet = args.output is not None and not sys.stdout.isatty()
    if not quiet:
        print(_header(info), end="\n\n", flush=True)
    progress = not quiet and sys.stderr.isatty()
    summary, folds = _cross_validate(args, X, Y, progress)
    if args.output is not None:
        _write(args.output, summary, folds, info)
    if args.plot is not None:
        from ._plot import plot_summary

        plot_summary(summary, args.plot, _header(info))
    if not quiet:
        print(format_table(summary))
    return 0


def _cross_validate(args, X, Y, progress):
    """Run :func:`~skmultimlp.benchmark.compare` as the options ask.

    Warnings raised while fitting (convergence, constant labels, ...) are not
    shown; an estimator that fails on some folds gets NaN scores there and one
    ``warning:`` line on standard error.
    """
    estimators = _estimators(args, sparse.issparse(X))
    workers = {}
    if "mlp" in estimators:
        _import_keras_quietly()
        workers = {"backend": "loky", "initializer": _import_keras_quietly}
    with parallel_config(**workers), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("ignore")
        warnings.simplefilter("always", FitFailedWarning)
        results = compare(
            estimators,
            X,
            Y,
            cv=_cv(args),
            n_jobs=args.n_jobs,
            progress=progress,
            return_folds=True,
            error_score=np.nan,
        )
    for warning in caught:
        print(f"skmultimlp: warning: {warning.message}", file=sys.stderr)
    return results


def _import_keras_quietly():
    """Import Keras without TensorFlow's C++ start-up log lines on standard error.

    TensorFlow writes them to file descriptor 2 before its logging is set up,
    so no setting hides them: the descriptor points to the null device for the
    import alone. ``TF_CPP_MIN_LOG_LEVEL`` (unless the user set it) then hides
    the later ones (XLA compilation, no CUDA driver). Both concern this process
    (and its workers, whose initializer this is) only; the library itself never
    changes the environment.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            import keras  # noqa: F401
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _first_line(exc):
    """The first non-empty line of an exception's message."""
    lines = [line for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _load(args):
    """The data of ``--data`` (or the tutorial set): name, X, Y and label names.

    Several files are stacked row-wise in the given order; they must have the
    same features and the same label names.
    """
    from .datasets import make_tutorial_dataset

    if args.data is None:
        X, Y = make_tutorial_dataset()
        return "tutorial", X, Y, [f"label_{j}" for j in range(Y.shape[1])]
    parts = [_load_file(Path(path), args) for path in args.data]
    first_path, X, Y, label_names = parts[0]
    for path, X_more, Y_more, names_more in parts[1:]:
        if X_more.shape[1] != X.shape[1]:
            raise UsageError(
                f"{path.name} has {X_more.shape[1]} features, "
                f"{first_path.name} has {X.shape[1]}: cannot stack them"
            )
        if list(names_more) != list(label_names):
            raise UsageError(
                f"{path.name} and {first_path.name} have different labels: "
                "cannot stack them"
            )
    if len(parts) > 1:
        if any(sparse.issparse(part[1]) for part in parts):
            X = sparse.vstack([sparse.csr_matrix(part[1]) for part in parts], format="csr")
        else:
            X = np.vstack([part[1] for part in parts])
        Y = np.vstack([part[2] for part in parts])
    return "+".join(part[0].stem for part in parts), X, Y, label_names


def _load_file(path, args):
    """One ``--data`` file: its path, X, Y and label names, or a :class:`UsageError`."""
    from .datasets import load_dataset

    if not path.is_file():
        raise UsageError(f"data file not found: {path}")
    try:
        X, Y, label_names, _ = load_dataset(
            path, n_labels=args.labels, label_columns=args.label_columns
        )
    except (OSError, ValueError) as exc:
        raise UsageError(_first_line(exc)) from None
    _check_labels(Y, path)
    return path, X, Y, label_names


def _check_labels(Y, path):
    """Raise :class:`UsageError` unless ``Y`` is a 0/1 matrix with a label or more."""
    if Y.ndim != 2 or Y.shape[1] < 1:
        raise UsageError(f"{path.name}: no label columns found")
    if not np.isin(Y, (0, 1)).all():
        raise UsageError(f"{path.name}: labels must be 0/1, found other values")


def _check_overrides(args):
    """Raise :class:`UsageError` if ``--set`` names no parameter of the MLP."""
    if args.overrides and "mlp" not in args.estimators:
        raise UsageError("--set changes the MLP, but 'mlp' is not in --estimators")
    known = MultiLabelMLPClassifier().get_params(deep=False)
    for key, _ in args.overrides:
        if key not in known:
            raise UsageError(
                f"--set: MultiLabelMLPClassifier has no parameter {key!r}; "
                f"choose from {', '.join(sorted(known))}"
            )
    try:
        validate_parameter_constraints(
            MultiLabelMLPClassifier._parameter_constraints,
            {**known, **dict(args.overrides)},
            caller_name="MultiLabelMLPClassifier",
        )
    except ValueError as error:
        raise UsageError(f"--set: {error}") from None


def _estimators(args, is_sparse):
    """The estimators chosen by ``--estimators``, with ``--set`` applied to the MLP."""
    available = default_estimators(random_state=args.random_state, sparse=is_sparse)
    available["mlp"][-1].set_params(**dict(args.overrides))
    return {name: available[name] for name in args.estimators}


def _cv(args):
    """The cross-validation splitter of ``--cv``, ``--stratified`` and the seed."""
    n_splits, n_repeats = args.cv
    if args.stratified:
        from .model_selection import RepeatedMultilabelStratifiedKFold as splitter
    else:
        splitter = RepeatedKFold
    return splitter(
        n_splits=n_splits, n_repeats=n_repeats, random_state=args.random_state
    )


def _metadata(args, name, shape, label_names):
    """What was run, on what, with which versions, and when."""
    n_splits, n_repeats = args.cv
    kind = "stratified " if args.stratified else ""
    return {
        "dataset": name,
        "data_paths": None if args.data is None else [str(path) for path in args.data],
        "n_samples": int(shape[0]),
        "n_features": int(shape[1]),
        "n_labels": len(label_names),
        "label_names": [str(label) for label in label_names],
        "cv": f"{kind}{n_splits}-fold x {n_repeats}",
        "n_splits": n_splits,
        "n_repeats": n_repeats,
        "stratified": args.stratified,
        "random_state": args.random_state,
        "estimators": list(args.estimators),
        "mlp_overrides": {key: value for key, value in args.overrides},
        "versions": _versions(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec="seconds"
        ),
    }


def _versions():
    """Versions of Python and the libraries that shape the results."""
    versions = {"python": platform.python_version(), "skmultimlp": __version__}
    for package in ("numpy", "scipy", "scikit-learn", "keras", "tensorflow"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return versions


def _header(info):
    """The line above the table naming the dataset, its shape and the cv."""
    return (
        f"{info['dataset']}: {info['n_samples']} samples x {info['n_features']} "
        f"features, {info['n_labels']} labels; cv: {info['cv']}, "
        f"random_state={info['random_state']}"
    )


def format_table(summary):
    """An aligned text table of ``mean ± std`` per estimator and metric.

    Parameters
    ----------
    summary : pandas.DataFrame
        As returned by :func:`skmultimlp.benchmark.compare`.

    Returns
    -------
    table : str
        The column titles, then one line per estimator.
    """
    columns = [col for col in (*METRICS, *TIMES) if f"mean_{col}" in summary]
    cells = [
        [_cell(row[f"mean_{col}"], row[f"std_{col}"], col in TIMES) for col in columns]
        for _, row in summary.iterrows()
    ]
    names = [str(name) for name in summary.index]
    titles = [HEADERS[col] for col in columns]
    widths = [
        max(len(text) for text in [title, *column])
        for title, column in zip(titles, zip(*cells))
    ]
    name_width = max(len("estimator"), *(len(name) for name in names))
    lines = [_line("estimator", name_width, titles, widths)]
    lines += [_line(name, name_width, row, widths) for name, row in zip(names, cells)]
    return "\n".join(lines)


def _cell(mean, std, is_time):
    """``'0.812 ± 0.034'``, or with two decimals for times in seconds."""
    if np.isnan(mean):
        return "n/a"
    digits = 2 if is_time else 3
    return f"{mean:.{digits}f} ± {std:.{digits}f}"


def _line(name, name_width, cells, widths):
    """One table line: the name left-aligned, the cells right-aligned."""
    padded = [cell.rjust(width) for cell, width in zip(cells, widths)]
    return "  ".join([name.ljust(name_width), *padded])


def _write(path, summary, folds, info):
    """Save the results as JSON (with metadata and folds) or CSV (the summary)."""
    try:
        if path.suffix.lower() == ".csv":
            summary.to_csv(path)
        else:
            path.write_text(json.dumps(_as_json(summary, folds, info), indent=2) + "\n")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None


def _as_json(summary, folds, info):
    """The JSON document: metadata, then per estimator the means, stds and folds."""
    columns = [col for col in (*METRICS, *TIMES) if col in folds]
    results = {}
    for name, row in summary.iterrows():
        mine = folds[folds["estimator"] == name]
        results[name] = {
            "mean": {col: _number(row[f"mean_{col}"]) for col in columns},
            "std": {col: _number(row[f"std_{col}"]) for col in columns},
            "folds": {col: [_number(v) for v in mine[col]] for col in columns},
        }
    return {"metadata": info, "results": results}


def _number(value):
    """A float for JSON, with NaN as ``None`` (``null``)."""
    return None if np.isnan(value) else float(value)


if __name__ == "__main__":
    sys.exit(main())
