"""Compare multi-label classifiers by repeated cross-validation.

:func:`compare` fits every estimator on every fold and scores it with the usual
multi-label metrics; :func:`default_estimators` gives the six estimators that
``skmultimlp benchmark`` compares by default.

pandas (for the results table) and tqdm (for the progress bar) are imported
only when :func:`compare` runs; neither this module nor :func:`default_estimators`
imports Keras or TensorFlow.
"""

import sys
import time
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, hamming_loss
from sklearn.model_selection import RepeatedKFold, check_cv
from sklearn.multioutput import ClassifierChain, MultiOutputClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MaxAbsScaler, StandardScaler
from sklearn.utils.parallel import Parallel, delayed

from ._estimator import MultiLabelMLPClassifier
from .metrics import _roc_auc_macro

__all__ = ["METRICS", "compare", "default_estimators"]

#: Quality metrics computed by :func:`compare`, in display order.
METRICS = (
    "subset_accuracy",
    "hamming_loss",
    "f1_micro",
    "f1_macro",
    "f1_samples",
    "roc_auc_macro",
)

TIMES = ("fit_time", "predict_time")


def default_estimators(random_state=0, sparse=False):
    """The six estimators that ``skmultimlp benchmark`` compares.

    Each keeps its library defaults except where noted, so the comparison is
    the one a user would get out of the box:

    - ``"mlp"``: :class:`~skmultimlp.MultiLabelMLPClassifier` after scaling.
    - ``"rf"``: :class:`~sklearn.ensemble.RandomForestClassifier`, which handles
      multi-label targets natively (no scaling).
    - ``"mo_lr"``: one :class:`~sklearn.linear_model.LogisticRegression` per
      label (:class:`~sklearn.multioutput.MultiOutputClassifier`) after scaling
      (the scaler is fitted once, outside the per-label copies).
    - ``"cc_lr"``: a :class:`~sklearn.multioutput.ClassifierChain` of logistic
      regressions, labels chained in column order, after scaling.
    - ``"knn"``: :class:`~sklearn.neighbors.KNeighborsClassifier` after scaling.
    - ``"sk_mlp"``: scikit-learn's :class:`~sklearn.neural_network.MLPClassifier`
      after scaling. It keeps ``max_iter=200``: on the tutorial data it has not
      met ``tol`` after 500 epochs either, and 200 already costs twice as much
      as the next slowest baseline.

    The logistic regressions use ``max_iter=1000`` instead of 100: the results
    are the same where 100 suffice (standardized emotions, yeast and scene need
    at most 93), and the fit converges instead of warning where they do not.
    A plain ``LogisticRegression`` raises on a label that is constant in a
    training fold (rare labels of medical or bibtex miss whole folds); here such
    a label is predicted as that constant, as ``OneVsRestClassifier`` does.

    Parameters
    ----------
    random_state : int, RandomState instance or None, default=0
        Passed to every estimator that has a ``random_state``.
    sparse : bool, default=False
        Whether ``X`` will be a sparse matrix. Dense features are standardized
        (:class:`~sklearn.preprocessing.StandardScaler`); sparse ones are divided
        by their maximum absolute value
        (:class:`~sklearn.preprocessing.MaxAbsScaler`, scikit-learn's scaler
        for sparse data), which keeps them sparse and leaves 0/1 word features
        as they are. Dividing a rare word by its standard deviation instead
        (``StandardScaler(with_mean=False)``) turns its 1 into values up to
        about 30 (on medical, 10x3-fold F1 micro of ``mo_lr`` 0.775 and of
        ``cc_lr`` 0.778 with it, 0.785 and 0.789 with ``MaxAbsScaler``).

    Returns
    -------
    estimators : dict of str to estimator
        Unfitted estimators, keyed by the names the CLI's ``--estimators``
        option accepts.

    Examples
    --------
    >>> from skmultimlp.benchmark import default_estimators
    >>> sorted(default_estimators())
    ['cc_lr', 'knn', 'mlp', 'mo_lr', 'rf', 'sk_mlp']
    """
    return {
        "mlp": _scaled(MultiLabelMLPClassifier(random_state=random_state), sparse),
        "rf": RandomForestClassifier(random_state=random_state),
        "mo_lr": _scaled(
            MultiOutputClassifier(_LogisticRegressionOrConstant(max_iter=1000)), sparse
        ),
        "cc_lr": _scaled(ClassifierChain(_LogisticRegressionOrConstant(max_iter=1000)), sparse),
        "knn": _scaled(KNeighborsClassifier(), sparse),
        "sk_mlp": _scaled(MLPClassifier(random_state=random_state), sparse),
    }


class _LogisticRegressionOrConstant(LogisticRegression):
    """Binary LogisticRegression that also fits a 0/1 label constant in its training data.

    The constant label gets zero coefficients and an intercept of +-30, so it is
    predicted with probability ``1 - 1e-13``; any other label is fitted as usual.
    """

    def fit(self, X, y, sample_weight=None):
        values = np.unique(y)
        if len(values) != 1:
            return super().fit(X, y, sample_weight)
        self.classes_ = np.array([0, 1])
        self.coef_ = np.zeros((1, X.shape[1]))
        self.intercept_ = np.array([30.0 if values[0] == 1 else -30.0])
        self.n_features_in_ = X.shape[1]
        self.n_iter_ = np.zeros(1, dtype=np.int32)
        return self


def _scaled(estimator, sparse):
    """A pipeline that scales the features before ``estimator``.

    Dense features are standardized; sparse ones are divided by their maximum
    absolute value, which keeps them sparse.
    """
    scaler = MaxAbsScaler() if sparse else StandardScaler()
    return Pipeline([("scale", scaler), ("model", estimator)])


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
        metric, then ``mean_fit_time``, ``std_fit_time``, ``mean_predict_time``
        and ``std_predict_time`` in seconds. Standard deviations are over
        folds, with ``ddof=0`` as in ``cv_results_``; a NaN fold makes both
        NaN. ``predict_time`` times ``predict`` alone, not ``predict_proba``.
        F1 scores count 0 for a label or sample with no true and no predicted
        positive (``zero_division=0``), like scikit-learn's ``"f1_*"`` scorers.
    folds : pandas.DataFrame
        Only when ``return_folds=True``: one row per (estimator, fold), with
        columns ``estimator``, ``fold``, the metrics, ``fit_time`` and
        ``predict_time``.

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
     'mean_predict_time', 'std_predict_time']
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
    folds = pd.DataFrame(rows, columns=["estimator", "fold", *metrics, *TIMES])
    summary = _summarize(folds, [name for name, _ in named], [*metrics, *TIMES])
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
        failed = {**dict.fromkeys(metrics, error_score), **dict.fromkeys(TIMES, np.nan)}
        message = str(exc).strip().splitlines()
        return failed, f"{type(exc).__name__}: {message[0] if message else ''}"


def _scores(estimator, X, y, train, test, metrics):
    """Fit ``estimator`` on ``train``, score it on ``test``; add the times."""
    start = time.perf_counter()
    estimator.fit(_rows(X, train), y[train])
    fit_time = time.perf_counter() - start
    X_test, y_test = _rows(X, test), y[test]
    start = time.perf_counter()
    y_pred = np.asarray(estimator.predict(X_test))
    predict_time = time.perf_counter() - start
    scores = _label_scores(estimator, X_test) if "roc_auc_macro" in metrics else None
    return {
        **{metric: _score_fold(metric, y_test, y_pred, scores) for metric in metrics},
        "fit_time": fit_time,
        "predict_time": predict_time,
    }


def _rows(X, indices):
    """The rows ``indices`` of an array, sparse matrix or DataFrame."""
    return X.iloc[indices] if hasattr(X, "iloc") else X[indices]


def _score_fold(metric, y_true, y_pred, y_score):
    """``metric`` (a name from :data:`METRICS`) on one test fold."""
    if metric == "subset_accuracy":
        return accuracy_score(y_true, y_pred)
    if metric == "hamming_loss":
        return hamming_loss(y_true, y_pred)
    if metric == "roc_auc_macro":
        return _roc_auc_macro(y_true, y_score)
    average = metric.removeprefix("f1_")
    return f1_score(y_true, y_pred, average=average, zero_division=0)


def _label_scores(estimator, X):
    """Probability of each label being 1, as one (n_samples, n_labels) array.

    ``predict_proba`` of :class:`~sklearn.ensemble.RandomForestClassifier`,
    :class:`~sklearn.neighbors.KNeighborsClassifier` and
    :class:`~sklearn.multioutput.MultiOutputClassifier` returns a list with
    one (n_samples, n_classes) array per label; the column of class 1 is taken
    from each (zeros when a label was constant 0 in the training fold).
    """
    proba = estimator.predict_proba(X)
    if not isinstance(proba, list):
        return np.asarray(proba)
    classes = getattr(estimator, "classes_", None)
    if classes is None:
        classes = [np.arange(p.shape[1]) for p in proba]
    return np.column_stack([_class_one(p, c) for p, c in zip(proba, classes)])


def _class_one(proba, classes):
    """The column of ``proba`` for class 1, or zeros if class 1 is absent."""
    hits = np.flatnonzero(np.asarray(classes) == 1)
    return proba[:, hits[0]] if hits.size else np.zeros(proba.shape[0])


def _summarize(folds, names, columns):
    """Mean and std (ddof=0) over folds of ``columns``, one row per estimator."""
    grouped = folds.groupby("estimator", sort=False)[columns]
    means = grouped.agg(_mean).add_prefix("mean_")
    stds = grouped.agg(_std).add_prefix("std_")
    ordered = [f"{stat}_{col}" for col in columns for stat in ("mean", "std")]
    summary = means.join(stds)[ordered].reindex(names)
    summary.index.name = "estimator"
    return summary


def _mean(values):
    """Mean that is NaN when a value is (pandas' own mean skips NaN)."""
    return float(np.mean(values.to_numpy(dtype=float)))


def _std(values):
    """Population standard deviation, NaN when a value is."""
    return float(np.std(values.to_numpy(dtype=float)))
