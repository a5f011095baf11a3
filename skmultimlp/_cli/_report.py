"""What ``skmultimlp benchmark`` reports: the text table, the JSON or CSV file
and the run's metadata.

Pure functions of a :func:`~skmultimlp.benchmark.compare` summary (and its
folds); the command line in :mod:`skmultimlp._cli._main` decides when to call them.
"""

import dataclasses
import datetime
import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path

import numpy as np

from .. import __version__
from ..benchmark._baselines import definition
from ..benchmark import FOLD_TIMES, METRICS, TIMES
from ..benchmark._compare import METRIC_TABLE

#: Column titles: the metrics' own (the arrow says whether higher or lower is
#: better), then the times.
TITLES = {
    **{metric.name: metric.title for metric in METRIC_TABLE},
    "fit_time": "fit (s)",
    "compile_time": "compile (s)",
    "predict_time": "predict (s)",
}
#: The libraries whose versions the JSON metadata records (None: not installed).
PACKAGES = ("numpy", "scipy", "scikit-learn", "keras", "tensorflow", "jax", "jaxlib", "torch")


def run_metadata(options, data, estimators, skipped):
    """What was run, on what, with which versions, and when.

    Parameters
    ----------
    options : BenchmarkOptions
        The checked ``skmultimlp benchmark`` options: every field goes into
        the metadata (paths as text).
    data : Dataset
        The data of the run (``skmultimlp._cli._data.load``): its name, shape,
        label names and the rows of each ``--data`` file.
    estimators : dict of str to estimator
        What runs, by name: their one-line definitions and their exact
        ``repr`` go into the metadata.
    skipped : dict of str to str
        Estimators left out before fitting, with the reason.

    Returns
    -------
    info : dict
        JSON-ready metadata, the ``"metadata"`` entry of the JSON output.
    """
    if options.protocol == "train-test":
        cv = f"train-test ({data.sizes[0]} train, {data.sizes[1]} test rows)"
    else:
        folds = f"{options.n_splits}-fold x {options.n_repeats}"
        cv = f"stratified {folds}" if options.stratified else folds
    scoring, strategy = options.tune_scoring, options.tune_strategy
    return {
        "dataset": data.name,
        "n_samples": int(data.X.shape[0]),
        "n_features": int(data.X.shape[1]),
        "n_labels": len(data.label_names),
        "label_names": [str(label) for label in data.label_names],
        "cv": cv,
        **_option_values(options),
        "estimator_definitions": {
            name: definition(name, scoring, strategy) for name in estimators
        },
        "estimator_params": {name: " ".join(repr(est).split()) for name, est in estimators.items()},
        "skipped": dict(skipped),
        "versions": _versions(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec="seconds"
        ),
    }


def _option_values(options):
    """Every option by its field name, JSON-ready: paths as text, tuples as lists."""
    values = {}
    for key, value in dataclasses.asdict(options).items():
        if isinstance(value, Path):
            value = str(value)
        elif isinstance(value, tuple):
            value = list(value)
        values[key] = value
    return values


def _versions():
    """Versions of Python and the libraries that shape the results, and the Keras backend.

    The backend is the one Keras runs when it is imported (the command imports
    it before an MLP runs), else the one it would choose: ``KERAS_BACKEND``,
    else the ``backend`` of ``keras.json``, else TensorFlow.
    """
    versions = {"python": platform.python_version(), "skmultimlp": __version__}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    versions["keras_backend"] = keras_backend()
    return versions


def keras_backend():
    """The Keras backend: the running one if Keras is imported, else the configured one."""
    keras = sys.modules.get("keras")
    if keras is not None:
        return keras.backend.backend()
    if os.environ.get("KERAS_BACKEND"):
        return os.environ["KERAS_BACKEND"]
    home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    try:
        with open(os.path.join(home, "keras.json"), encoding="utf-8") as file:
            return json.load(file).get("backend", "tensorflow")
    except (OSError, ValueError):
        return "tensorflow"


def format_header(info):
    """The line above the table naming the dataset, its shape and the cv.

    Parameters
    ----------
    info : dict
        As returned by :func:`run_metadata`.

    Returns
    -------
    header : str
        One line, also the title of the plot.
    """
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
    titles = [TITLES[col] for col in columns]
    widths = [
        max(len(text) for text in [title, *column])
        for title, column in zip(titles, zip(*cells))
    ]
    name_width = max(len("estimator"), *(len(name) for name in names))
    lines = [_line("estimator", name_width, titles, widths)]
    lines += [_line(name, name_width, row, widths) for name, row in zip(names, cells)]
    return "\n".join(lines)


def format_legend(info):
    """What each estimator name in the table stands for, one line each.

    Parameters
    ----------
    info : dict
        As returned by :func:`run_metadata`.

    Returns
    -------
    legend : str
    """
    definitions = info["estimator_definitions"]
    width = max(len(name) for name in definitions)
    lines = ["", "estimators (SCALER: StandardScaler, MaxAbsScaler for sparse X):"]
    lines += [f"  {name:<{width}}  {text}" for name, text in definitions.items()]
    lines.append(
        "fit (s): per fold, without the folds that compiled; compile (s): their extra time"
    )
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


def write_results(path, summary, folds, info, suffix=None):
    """Save the results as JSON (with metadata and folds) or CSV (the summary).

    Parameters
    ----------
    path : pathlib.Path
        Ends in ``.csv`` for the summary table; anything else gets JSON.
    summary, folds : pandas.DataFrame
        As returned by :func:`skmultimlp.benchmark.compare` with
        ``return_folds=True``.
    info : dict
        As returned by :func:`run_metadata`.
    suffix : str, default=None
        The format, when ``path`` does not end in it (a temporary name);
        None: ``path``'s suffix.

    Raises
    ------
    OSError
        If the file cannot be written.
    """
    if (suffix or path.suffix).lower() == ".csv":
        summary.to_csv(path)
    else:
        path.write_text(json.dumps(_as_json(summary, folds, info), indent=2) + "\n")


def _as_json(summary, folds, info):
    """The JSON document: metadata, then per estimator the means, stds and folds."""
    columns = [col for col in (*METRICS, *TIMES) if f"mean_{col}" in summary]
    fold_columns = [col for col in (*METRICS, *FOLD_TIMES) if col in folds]
    results = {}
    for name, row in summary.iterrows():
        mine = folds[folds["estimator"] == name]
        results[name] = {
            "mean": {col: _number(row[f"mean_{col}"]) for col in columns},
            "std": {col: _number(row[f"std_{col}"]) for col in columns},
            "folds": {col: [_number(v) for v in mine[col]] for col in fold_columns},
        }
    return {"metadata": info, "results": results}


def _number(value):
    """A float for JSON, with NaN as ``None`` (``null``)."""
    return None if np.isnan(value) else float(value)
