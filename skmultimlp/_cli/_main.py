"""The ``skmultimlp`` command line: ``skmultimlp benchmark [options]``.

Parses the options, loads (and stacks) the data, runs
:func:`~skmultimlp.benchmark.compare` and hands the results to
:mod:`skmultimlp._cli._report`. ``python -m skmultimlp`` and the ``skmultimlp``
console script both call :func:`main`. See ``skmultimlp benchmark --help``.
"""

import argparse
import sys
import textwrap
import warnings

import numpy as np
from joblib import parallel_config
from scipy import sparse
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import RepeatedKFold

from .. import __version__
from .._backend import import_keras
from ..benchmark import tuned_estimators
from ..benchmark._baselines import (
    BASELINES,
    MLP_NAMES,
    TUNED_SUFFIX,
    build_estimators,
    definition,
    is_mlp,
)
from ..model_selection import RepeatedMultilabelStratifiedKFold
from . import _options as options
from ._data import load
from ._memory import too_big
from ._options import UsageError, benchmark_options
from ._output import save_outputs, save_partial
from ._report import format_header, format_legend, format_table, keras_backend, run_metadata
from ._run import cross_validate
from ._signals import Terminated, stop_workers, terminate_as_interrupt

EPILOG = """\
examples:
  skmultimlp benchmark
  skmultimlp benchmark --data emotions.arff --cv 5x2 --estimators mlp,rf
  skmultimlp benchmark --data scores.csv --label-columns 3 --output results.json
  skmultimlp benchmark --data scene-train.arff scene-test.arff --cv 10x3
  skmultimlp benchmark --data emotions.arff --protocol train-test --estimators mlp,mlp_tuned
  skmultimlp benchmark --set hidden_layer_sizes=64,64 --set dropout=0.2 --plot r.png
"""


def _epilog():
    """The examples and the legend of the estimator names, wrapped to 79 columns."""
    names = [*BASELINES, "NAME" + TUNED_SUFFIX]
    width = max(len(name) for name in names) + 2
    legend = []
    for name in names:
        text = definition(name, "TUNE_SCORING", "TUNE_STRATEGY").replace("'", "")
        lines = textwrap.wrap(text, 79 - width - 2, break_on_hyphens=False)
        legend.append(f"  {name:<{width}}{lines[0]}")
        legend += [" " * (width + 2) + line for line in lines[1:]]
    return (
        EPILOG
        + "\nestimators (SCALER: StandardScaler, or MaxAbsScaler for sparse features;\n"
        "every random_state is --random-state):\n" + "\n".join(legend) + "\n"
    )


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
        0 on success, 1 when the run finished but ``--output`` or ``--plot``
        could not be written where asked, 2 when the arguments or the data are
        unusable (after printing one line naming the problem on standard
        error), 130 when interrupted with Ctrl-C and 143 on SIGTERM (no
        worker process is left behind).
    """
    parser = _build_parser()
    try:
        with terminate_as_interrupt():
            args = parser.parse_args(argv)
            return args.command(args)
    except UsageError as exc:
        print(f"skmultimlp: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        stop_workers()
        terminated = isinstance(exc, Terminated)
        print(f"skmultimlp: {'terminated' if terminated else 'interrupted'}", file=sys.stderr)
        return 143 if terminated else 130


def _build_parser():
    """The ``skmultimlp`` parser and its ``benchmark`` subcommand."""
    parser = _Parser(prog="skmultimlp", description="skmultimlp command line tools.")
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    bench = commands.add_parser(
        "benchmark",
        help="cross-validate the MLP against standard multi-label baselines",
        description="Cross-validate multi-label classifiers on one dataset and\n"
        "report mean ± std of each metric over the folds (↑: higher is better,\n"
        "↓: lower). Warnings raised while fitting are not shown; an estimator\n"
        "that fails gets n/a and one line. With --output, the results are written\n"
        "as each estimator finishes.",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bench.set_defaults(command=run_benchmark)
    _add_data_options(bench.add_argument_group("data"))
    _add_evaluation_options(bench.add_argument_group("evaluation"))
    _add_output_options(bench.add_argument_group("output"))
    return parser


def _add_data_options(group):
    """``--data``, ``--labels``, ``--label-columns``."""
    group.add_argument(
        "--data",
        metavar="FILE",
        nargs="+",
        help="ARFF (Mulan or MEKA), CSV or multi-label libsvm file; several files "
        "(such as a train and a test split) are stacked into one dataset "
        "(default: the tutorial dataset, 1000 samples, 10 features, 3 labels)",
    )
    group.add_argument(
        "--labels",
        type=options.positive_int,
        metavar="N",
        help="number of labels: the last N attributes of an ARFF file (default: "
        "from NAME.xml or MEKA's -C N), or the last N columns of a CSV file",
    )
    group.add_argument(
        "--label-columns",
        type=options.label_columns,
        metavar="SPEC",
        help="CSV label columns: names 'a,b,c', or a count N for the last N columns",
    )


def _add_evaluation_options(group):
    """``--cv``, ``--stratified``, ``--estimators``, ``--set``, ``--n-jobs``, the seed."""
    group.add_argument(
        "--protocol",
        choices=options.PROTOCOLS,
        default="cv",
        help="cv: cross-validation of the (stacked) --data; train-test: fit on "
        "NAME-train, score on NAME-test, the files the dataset ships (default: cv)",
    )
    group.add_argument(
        "--cv",
        type=options.cv_spec,
        default=None,
        metavar="KxR",
        help="K folds repeated R times (default: 10x3)",
    )
    group.add_argument(
        "--stratified",
        action="store_true",
        help="iterative multi-label stratification instead of plain K-fold",
    )
    names = options.ESTIMATOR_NAMES
    group.add_argument(
        "--estimators",
        type=options.estimator_names,
        default=list(names),
        metavar="LIST",
        help=f"comma-separated, from {','.join(BASELINES)}, each also as "
        f"NAME{TUNED_SUFFIX} "
        "(thresholds tuned by cross-validation); see the legend below "
        f"(default: {','.join(names)})",
    )
    group.add_argument(
        "--tune-scoring",
        choices=options.TUNE_SCORINGS,
        default="f1_micro",
        help="the metric the NAME_tuned estimators maximise (default: f1_micro)",
    )
    group.add_argument(
        "--tune-strategy",
        choices=options.TUNE_STRATEGIES,
        default="global",
        help="one threshold for all labels, or one per label (default: global)",
    )
    group.add_argument(
        "--set",
        type=options.override,
        action="append",
        default=[],
        dest="overrides",
        metavar="KEY=VALUE",
        help="set a MultiLabelMLPClassifier parameter, e.g. "
        "hidden_layer_sizes=64,64 or early_stopping=true (repeatable)",
    )
    group.add_argument(
        "--n-jobs",
        type=options.n_jobs,
        default=1,
        metavar="N",
        help="parallel jobs (default: 1; -1: all CPUs)",
    )
    group.add_argument(
        "--random-state",
        type=options.seed,
        default=0,
        metavar="SEED",
        help="seed of the folds and the estimators (default: 0)",
    )


def _add_output_options(group):
    """``--output`` and ``--plot``."""
    group.add_argument(
        "--output",
        type=options.output_path,
        metavar="FILE",
        help="write results to FILE.json (with metadata and folds) or FILE.csv; "
        "quiet when standard output is not a terminal; a FILE that cannot be "
        "written after the run goes to the working directory (the error says where)",
    )
    group.add_argument(
        "--plot",
        type=options.plot_path,
        metavar="FILE",
        help="save a bar chart as FILE.png, FILE.svg or FILE.pdf (same fallback)",
    )


def run_benchmark(args):
    """Load the data, cross-validate the estimators and report the results."""
    options = benchmark_options(args)
    data = load(options)
    splits = _splits(options, data)
    estimators = _estimators(options, sparse.issparse(data.X))
    n_train = max(len(train) for train, _ in splits)
    n_features, n_labels = data.X.shape[1], data.Y.shape[1]
    skipped = too_big(estimators, n_train, n_features, n_labels, options.n_jobs, len(splits))
    info = run_metadata(options, data, estimators, skipped)
    quiet = options.output is not None and not sys.stdout.isatty()
    if not quiet:
        print(format_header(info), end="\n\n", flush=True)
    for reason in skipped.values():
        print(f"skmultimlp: warning: {reason}", file=sys.stderr, flush=True)
    progress = not quiet and sys.stderr.isatty()
    summary, folds = _cross_validate(options, data, splits, estimators, skipped, info, progress)
    if not quiet:  # first: a file that cannot be written must not lose the run
        print(format_table(summary), flush=True)
        print(format_legend(info), flush=True)
    return save_outputs(options, summary, folds, info, table_shown=not quiet)


def _cross_validate(options, data, splits, estimators, skipped, info, progress):
    """Run every estimator as the options ask, saving ``--output`` after each.

    Warnings raised while fitting (convergence, constant labels, ...) are not
    shown; an estimator that fails on some folds gets NaN scores there and one
    ``warning:`` line on standard error.
    """
    workers = {}
    if any(is_mlp(name) for name in estimators):
        _import_keras_quietly()
        workers = {"backend": "loky", "initializer": _import_keras_quietly}
        info["versions"]["keras_backend"] = keras_backend()  # now that Keras runs

    def checkpoint(summary, folds, finished):
        if options.output is not None:
            save_partial(options.output, summary, folds, {**info, "finished": finished})

    with parallel_config(**workers), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("ignore")
        warnings.simplefilter("always", FitFailedWarning)
        results = cross_validate(
            estimators, data.X, data.Y, splits, options.n_jobs, progress, skipped, checkpoint
        )
    for warning in caught:
        print(f"skmultimlp: warning: {warning.message}", file=sys.stderr)
    info["finished"] = list(estimators)
    return results


def _import_keras_quietly():
    """Import Keras once, as the library does: without TensorFlow's start-up lines and
    with the persistent compilation cache (``_backend.import_keras``); also the
    initializer of the ``--n-jobs`` workers."""
    import_keras()


def _estimators(options, is_sparse):
    """The estimators chosen by ``--estimators``, with ``--set`` applied to the MLP."""
    available = build_estimators(BASELINES, random_state=options.random_state, sparse=is_sparse)
    for name in MLP_NAMES:  # an explicit --set n_networks=K wins
        available[name][-1].set_params(**options.mlp_overrides)
    available.update(tuned_estimators(available, options.tune_scoring, options.tune_strategy))
    return {name: available[name] for name in options.estimators}


def _splits(options, data):
    """The (train, test) index pairs of the protocol."""
    n_samples = data.X.shape[0]
    if options.protocol == "train-test":
        return [(np.arange(data.sizes[0]), np.arange(data.sizes[0], n_samples))]
    n_splits = options.n_splits
    if n_splits > n_samples:
        raise UsageError(
            f"argument --cv: {n_splits} folds need at least {n_splits} samples, "
            f"the data have {n_samples}"
        )
    splitter = RepeatedMultilabelStratifiedKFold if options.stratified else RepeatedKFold
    cv = splitter(n_splits=n_splits, n_repeats=options.n_repeats, random_state=options.random_state)
    return list(cv.split(data.X, data.Y))
