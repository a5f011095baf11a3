"""Cross-validating several multi-label classifiers on the same folds.

:func:`compare` fits every estimator on every fold and scores it with the usual
multi-label metrics; :func:`summarize` turns its folds table into the summary.
pandas (for the results table) and tqdm (for the progress bar) are imported
only when :func:`compare` runs.
"""

import sys
import time
import warnings
from functools import partial
from typing import Callable, NamedTuple

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import FitFailedWarning
from sklearn.metrics import accuracy_score, f1_score, hamming_loss
from sklearn.model_selection import RepeatedKFold, check_cv
from sklearn.utils.parallel import Parallel, delayed

from .._backend import compiled_keys
from .._roc_auc import roc_auc_macro
from .._thresholds import positive_proba


class Metric(NamedTuple):
    """One quality metric of :func:`compare`: a row of :data:`METRIC_TABLE`."""

    #: The name ``scoring`` takes and the column of the results.
    name: str
    #: ``score(y_true, y_pred, y_score)`` -> float, on one test fold.
    score: Callable
    #: Its column title in the command's table (an arrow follows, see :attr:`title`).
    header: str
    #: Its legend entry in the bar chart (``"\n"`` breaks the line on the chart).
    plot_label: str
    higher_is_better: bool
    #: Whether ``score`` reads ``y_score`` (``predict_proba``) rather than ``y_pred``.
    needs_proba: bool = False

    @property
    def title(self):
        """The column title with ``↑`` (higher is better) or ``↓``."""
        return f"{self.header} {'↑' if self.higher_is_better else '↓'}"


def _subset_accuracy(y_true, y_pred, y_score):
    return accuracy_score(y_true, y_pred)


def _hamming_loss(y_true, y_pred, y_score):
    return hamming_loss(y_true, y_pred)


def _f1(y_true, y_pred, y_score, average):
    return f1_score(y_true, y_pred, average=average, zero_division=0)


def _roc_auc_macro(y_true, y_pred, y_score):
    return roc_auc_macro(y_true, y_score)


#: The quality metrics of :func:`compare`, in display order.
METRIC_TABLE = (
    Metric("subset_accuracy", _subset_accuracy, "subset acc", "subset\naccuracy", True),
    Metric("hamming_loss", _hamming_loss, "hamming loss", "Hamming loss\n(lower is better)",
           False),
    Metric("f1_micro", partial(_f1, average="micro"), "F1 micro", "F1 micro", True),
    Metric("f1_macro", partial(_f1, average="macro"), "F1 macro", "F1 macro", True),
    Metric("f1_samples", partial(_f1, average="samples"), "F1 samples", "F1 samples", True),
    Metric("roc_auc_macro", _roc_auc_macro, "ROC AUC macro", "ROC AUC\nmacro", True,
           needs_proba=True),
)
#: The rows of :data:`METRIC_TABLE` by name.
METRIC_BY_NAME = {metric.name: metric for metric in METRIC_TABLE}
#: Names of the quality metrics computed by :func:`compare`, in display order.
METRICS = tuple(METRIC_BY_NAME)

#: Times in the summary, in seconds: ``fit_time`` leaves out the folds whose fit
#: compiled a Keras function (counted in the folds' ``compiles`` column), and
#: ``compile_time`` is what those folds took in addition.
TIMES = ("fit_time", "compile_time", "predict_time")
#: Per-fold columns after the metrics.
FOLD_TIMES = ("fit_time", "predict_time", "compiles")


def compare(
    estimators,
    X,
    y,
    cv=None,
    scoring=None,
    n_jobs=None,
    progress=None,
    return_folds=False,
    error_score="raise",
):
    """Cross-validate several multi-label classifiers on the same folds.

    Every estimator is cloned, fitted on each training fold and scored on the
    matching test fold; all (estimator, fold) pairs run in one
    :class:`joblib.Parallel` loop.

    Parameters
    ----------
    estimators : dict of str to estimator, or list of (str, estimator)
        The classifiers to compare, by name. Each must accept a 0/1 indicator
        matrix as ``y``.
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Features.
    y : array-like of shape (n_samples, n_labels)
        0/1 label indicator matrix.
    cv : int, cross-validation generator or iterable, default=None
        Folds, as in :func:`~sklearn.model_selection.cross_validate`. ``None``
        means ``RepeatedKFold(n_splits=10, n_repeats=3, random_state=0)``.
    scoring : str or list of str, default=None
        Names from :data:`METRICS`; ``None`` computes all of them.
        ``roc_auc_macro`` needs ``predict_proba``; labels that are constant in
        a test fold are left out of its average (NaN when all are).
    n_jobs : int, default=None
        Number of parallel jobs; ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context, -1 means all processors.
    progress : bool, default=None
        Show a tqdm progress bar over the (estimator, fold) pairs. ``None``
        shows it only when standard error is a terminal.
    return_folds : bool, default=False
        Also return the score of every fold.
    error_score : "raise" or float, default="raise"
        What a fold whose fit or prediction raises gets: ``"raise"`` re-raises
        the error; a number (such as ``np.nan``) becomes every metric of that
        fold (its times are NaN), and a
        :class:`~sklearn.exceptions.FitFailedWarning` names the estimators that
        failed and their first error.

    Returns
    -------
    summary : pandas.DataFrame
        One row per estimator (the index, named ``"estimator"``, in the given
        order) with columns ``mean_<metric>`` and ``std_<metric>`` for each
        metric, then the mean and std of ``fit_time``, ``compile_time`` and
        ``predict_time`` in seconds. Standard deviations are over folds, with
        ``ddof=0`` as in ``cv_results_``; a NaN fold makes both NaN.
        ``predict_time`` times ``predict`` alone, not ``predict_proba``.
        A fold whose fit compiled a function of this package (the first fit in
        a process, or a new padded shape; see the ``compiles`` column of the
        folds) is left out of ``fit_time``, so that its std measures the fits
        themselves; ``compile_time`` is the mean excess of those folds over
        ``mean_fit_time`` (0 for an estimator that never compiles, NaN when
        every fold compiled, and ``fit_time`` then covers all folds).
        F1 scores count 0 for a label or sample with no true and no predicted
        positive (``zero_division=0``), like scikit-learn's ``"f1_*"`` scorers.
    folds : pandas.DataFrame
        Only when ``return_folds=True``: one row per (estimator, fold), with
        columns ``estimator``, ``fold``, the metrics, ``fit_time`` (including
        any compilation), ``predict_time`` and ``compiles`` (the number of
        functions compiled during the fit).

    Examples
    --------
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from sklearn.neighbors import KNeighborsClassifier
    >>> from skmultimlp.benchmark import compare
    >>> X, Y = make_multilabel_classification(60, 5, n_classes=3, random_state=0)
    >>> summary = compare({"knn": KNeighborsClassifier()}, X, Y, cv=3,
    ...                   scoring=["f1_micro"], progress=False)
    >>> list(summary.columns)  # doctest: +NORMALIZE_WHITESPACE
    ['mean_f1_micro', 'std_f1_micro', 'mean_fit_time', 'std_fit_time',
     'mean_compile_time', 'std_compile_time', 'mean_predict_time', 'std_predict_time']
    """
    import pandas as pd

    named = _named_estimators(estimators)
    metrics = _metric_names(scoring)
    y = np.asarray(y)
    if cv is None:
        cv = RepeatedKFold(n_splits=10, n_repeats=3, random_state=0)
    splits = list(check_cv(cv).split(X, y))
    if progress is None:
        progress = sys.stderr.isatty()
    rows, errors = _run_folds(
        named, X, y, splits, metrics, n_jobs, progress, error_score
    )
    _warn_failures(errors, len(splits))
    folds = pd.DataFrame(rows, columns=["estimator", "fold", *metrics, *FOLD_TIMES])
    summary = summarize(folds, [name for name, _ in named], metrics)
    return (summary, folds) if return_folds else summary


def _run_folds(named, X, y, splits, metrics, n_jobs, progress, error_score):
    """Score every (estimator, fold) pair in one parallel loop.

    Returns the rows of the folds table and, per estimator, the errors of the
    folds that failed.
    """
    tasks = [
        (name, fold, estimator, train, test)
        for name, estimator in named
        for fold, (train, test) in enumerate(splits)
    ]
    results = Parallel(n_jobs=n_jobs, return_as="generator")(
        delayed(_fit_and_score)(
            clone(estimator), X, y, train, test, metrics, error_score
        )
        for _, _, estimator, train, test in tasks
    )
    if progress:
        from tqdm.auto import tqdm

        results = tqdm(results, total=len(tasks), desc="folds", leave=False)
    rows, errors = [], {}
    for (name, fold, *_), (scores, error) in zip(tasks, results):
        rows.append({"estimator": name, "fold": fold, **scores})
        if error is not None:
            errors.setdefault(name, []).append(error)
    return rows, errors


def _warn_failures(errors, n_folds):
    """One :class:`~sklearn.exceptions.FitFailedWarning` per failing estimator."""
    for name, messages in errors.items():
        warnings.warn(
            f"{name} failed on {len(messages)} of {n_folds} folds; "
            f"first error: {messages[0]}",
            FitFailedWarning,
            stacklevel=3,
        )


def _named_estimators(estimators):
    """``estimators`` as a list of (name, estimator) with unique names."""
    named = list(estimators.items() if isinstance(estimators, dict) else estimators)
    names = [name for name, _ in named]
    if not named:
        raise ValueError("estimators is empty")
    if len(set(names)) != len(names):
        raise ValueError(f"estimator names must be unique, got {names}")
    return named


def _metric_names(scoring):
    """The metric names ``scoring`` asks for, validated, in :data:`METRICS` order."""
    if scoring is None:
        return list(METRICS)
    asked = [scoring] if isinstance(scoring, str) else list(scoring)
    unknown = sorted(set(asked) - set(METRICS))
    if unknown:
        raise ValueError(f"unknown metric(s) {unknown}; choose from {list(METRICS)}")
    return [metric for metric in METRICS if metric in asked]


def _fit_and_score(estimator, X, y, train, test, metrics, error_score):
    """The scores of one fold and ``None``, or ``error_score`` and the error."""
    try:
        return _scores(estimator, X, y, train, test, metrics), None
    except Exception as exc:
        if error_score == "raise":
            raise
        failed = {**dict.fromkeys(metrics, error_score), **dict.fromkeys(FOLD_TIMES, np.nan)}
        return failed, error_line(exc)


def first_line(exc):
    """The first non-blank line of an exception's message, stripped; ``""`` if none."""
    return next((line.strip() for line in str(exc).splitlines() if line.strip()), "")


def error_line(exc):
    """``"ValueError: <first line of the message>"``, or the type alone without a message."""
    line = first_line(exc)
    return f"{type(exc).__name__}: {line}" if line else type(exc).__name__


def _scores(estimator, X, y, train, test, metrics):
    """Fit ``estimator`` on ``train``, score it on ``test``; add the times."""
    compiled_before = compiled_keys()
    start = time.perf_counter()
    estimator.fit(_rows(X, train), y[train])
    fit_time = time.perf_counter() - start
    compiles = len(compiled_keys() - compiled_before)
    X_test, y_test = _rows(X, test), y[test]
    start = time.perf_counter()
    y_pred = np.asarray(estimator.predict(X_test))
    predict_time = time.perf_counter() - start
    rows = [METRIC_BY_NAME[name] for name in metrics]
    scores = None
    if any(metric.needs_proba for metric in rows):
        n_labels = y_test.shape[1] if y_test.ndim > 1 else 1
        scores = _label_scores(estimator, X_test, n_labels)
    return {
        **{metric.name: metric.score(y_test, y_pred, scores) for metric in rows},
        "fit_time": fit_time,
        "predict_time": predict_time,
        "compiles": compiles,
    }


def _rows(X, indices):
    """The rows ``indices`` of an array, sparse matrix or DataFrame."""
    return X.iloc[indices] if hasattr(X, "iloc") else X[indices]


def _label_scores(estimator, X, n_labels):
    """Probability of each label being 1, as one (n_samples, n_labels) array.

    ``predict_proba`` of :class:`~sklearn.ensemble.RandomForestClassifier`,
    :class:`~sklearn.neighbors.KNeighborsClassifier` and
    :class:`~sklearn.multioutput.MultiOutputClassifier` returns a list with
    one (n_samples, n_classes) array per label; the column of class 1 is taken
    from each (zeros when a label was constant 0 in the training fold). An
    estimator without ``classes_`` is taken to number its classes 0, 1, ...
    """
    proba = estimator.predict_proba(X)
    classes = getattr(estimator, "classes_", None)
    if isinstance(proba, list) and classes is None:
        classes = [np.arange(p.shape[1]) for p in proba]
    return positive_proba(proba, classes, n_labels)


def summarize(folds, names, metrics):
    """The summary table of :func:`compare` from its folds table.

    Mean and std (ddof=0) over folds of each metric and time, one row per
    estimator, in the order of ``names``; see :func:`compare` for how
    ``fit_time`` and ``compile_time`` treat the folds that compiled.
    """
    import pandas as pd

    grouped = folds.groupby("estimator", sort=False)
    means = grouped[list(metrics)].agg(_mean).add_prefix("mean_")
    stds = grouped[list(metrics)].agg(_std).add_prefix("std_")
    times = pd.DataFrame([_times(group) for _, group in grouped], index=list(grouped.groups))
    columns = [*metrics, *TIMES]
    ordered = [f"{stat}_{col}" for col in columns for stat in ("mean", "std")]
    summary = means.join(stds).join(times)[ordered].reindex(names)
    summary.index.name = "estimator"
    return summary


def _times(folds):
    """Mean and std of the fit time without compilation, the compile time and predict time."""
    fit = folds["fit_time"].to_numpy(dtype=float)
    compiled = folds["compiles"].to_numpy(dtype=float) > 0
    warm = fit[~compiled] if (~compiled).any() else fit
    extra = fit[compiled] - _mean_of(warm) if (~compiled).any() else np.full(1, np.nan)
    if not compiled.any():
        extra = np.zeros(1)
    predict = folds["predict_time"].to_numpy(dtype=float)
    if np.isnan(fit).any():  # a failed fold: every figure is NaN, as for the metrics
        warm = extra = np.full(1, np.nan)
    return {
        "mean_fit_time": _mean_of(warm),
        "std_fit_time": float(np.std(warm)),
        "mean_compile_time": _mean_of(extra),
        "std_compile_time": float(np.std(extra)),
        "mean_predict_time": _mean_of(predict),
        "std_predict_time": float(np.std(predict)),
    }


def _mean_of(values):
    return float(np.mean(values))


def _mean(values):
    """Mean that is NaN when a value is (pandas' own mean skips NaN)."""
    return float(np.mean(values.to_numpy(dtype=float)))


def _std(values):
    """Population standard deviation, NaN when a value is."""
    return float(np.std(values.to_numpy(dtype=float)))
