"""The estimators that ``skmultimlp benchmark`` compares, and what they cost.

:data:`BASELINES` is the table: one :class:`Baseline` row per name, saying how to
build the estimator, what it is in one line (the legend of the table and of
``--help``), whether the default run includes it and whether it is this package's
MLP. :func:`default_estimators` builds the default rows, :func:`tuned_estimators`
wraps estimators in :class:`~skmultimlp.MultiLabelTunedThresholdClassifierCV`, and
:func:`estimated_fit_bytes` guesses, before fitting, the memory a fit will hold
(random forests on large label spaces can need tens of GiB). Nothing here imports
Keras.
"""

from functools import partial
from typing import Callable, NamedTuple

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.multioutput import ClassifierChain, MultiOutputClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MaxAbsScaler, StandardScaler

from .._estimator import MultiLabelMLPClassifier
from .._tuned_thresholds import MultiLabelTunedThresholdClassifierCV

#: ``n_networks`` of ``mlp_ens``: 3 gained as much as 5 or 10 at a lower cost
#: (``benchmarks/ensemble.py``, see the benchmarks page).
ENSEMBLE_SIZE = 3
#: Suffix of a baseline wrapped by :func:`tuned_estimators`.
TUNED_SUFFIX = "_tuned"
TUNED_DEFINITION = (
    "skmultimlp.MultiLabelTunedThresholdClassifierCV(NAME, scoring=TUNE_SCORING, "
    "strategy=TUNE_STRATEGY): NAME with its thresholds tuned on 5-fold out-of-fold "
    "probabilities of each training fold"
)


class Baseline(NamedTuple):
    """One estimator name of ``skmultimlp benchmark``: a row of :data:`BASELINES`."""

    #: ``build(random_state, sparse)`` -> the unfitted estimator.
    build: Callable
    #: What the name stands for, in one line; ``SCALER`` is StandardScaler for
    #: dense features, MaxAbsScaler for sparse ones.
    legend: str
    #: Whether :func:`default_estimators` (and the default ``--estimators``) has it.
    default: bool
    #: Whether it is a pipeline ending in this package's MLP: ``--set`` applies to
    #: it, and the command imports Keras before it runs.
    is_mlp: bool


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


def _mlp(random_state, sparse, **params):
    return _scaled(MultiLabelMLPClassifier(random_state=random_state, **params), sparse)


def _forest(random_state, sparse):
    return RandomForestClassifier(random_state=random_state)


def _per_label_logistic(random_state, sparse):
    return _scaled(MultiOutputClassifier(_LogisticRegressionOrConstant(max_iter=1000)), sparse)


def _chained_logistic(random_state, sparse):
    return _scaled(ClassifierChain(_LogisticRegressionOrConstant(max_iter=1000)), sparse)


def _neighbours(random_state, sparse):
    return _scaled(KNeighborsClassifier(), sparse)


def _sklearn_mlp(random_state, sparse):
    return _scaled(MLPClassifier(random_state=random_state), sparse)


#: Every estimator name ``--estimators`` accepts (each also as ``NAME_tuned``), in
#: the order the table and the help list them.
BASELINES = {
    "mlp": Baseline(
        _mlp,
        "Pipeline(SCALER, skmultimlp.MultiLabelMLPClassifier())",
        default=True,
        is_mlp=True,
    ),
    "rf": Baseline(
        _forest,
        "sklearn.ensemble.RandomForestClassifier() (100 trees, no scaling)",
        default=True,
        is_mlp=False,
    ),
    "mo_lr": Baseline(
        _per_label_logistic,
        "Pipeline(SCALER, MultiOutputClassifier(LogisticRegression(max_iter=1000))): "
        "one logistic regression per label (binary relevance)",
        default=True,
        is_mlp=False,
    ),
    "cc_lr": Baseline(
        _chained_logistic,
        "Pipeline(SCALER, ClassifierChain(LogisticRegression(max_iter=1000))): "
        "labels chained in column order",
        default=True,
        is_mlp=False,
    ),
    "knn": Baseline(
        _neighbours,
        "Pipeline(SCALER, KNeighborsClassifier()) (5 neighbours)",
        default=True,
        is_mlp=False,
    ),
    "sk_mlp": Baseline(
        _sklearn_mlp,
        "Pipeline(SCALER, sklearn.neural_network.MLPClassifier())",
        default=True,
        is_mlp=False,
    ),
    "mlp_ens": Baseline(  # not in the default run
        partial(_mlp, n_networks=ENSEMBLE_SIZE),
        f"Pipeline(SCALER, skmultimlp.MultiLabelMLPClassifier(n_networks={ENSEMBLE_SIZE})): "
        f"{ENSEMBLE_SIZE} networks trained together, probabilities averaged",
        default=False,
        is_mlp=True,
    ),
}
#: The names of :func:`default_estimators`, in the order the table lists them.
DEFAULT_NAMES = tuple(name for name, row in BASELINES.items() if row.default)
#: The names whose estimator ends in this package's MLP.
MLP_NAMES = tuple(name for name, row in BASELINES.items() if row.is_mlp)


def build_estimators(names, random_state=0, sparse=False):
    """The unfitted estimators of ``names`` (rows of :data:`BASELINES`), by name."""
    return {name: BASELINES[name].build(random_state, sparse) for name in names}


def is_mlp(name):
    """Whether ``name`` (a row of :data:`BASELINES`, or one as ``NAME_tuned``) is an MLP."""
    row = BASELINES.get(name.removesuffix(TUNED_SUFFIX))
    return row is not None and row.is_mlp


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
    return build_estimators(DEFAULT_NAMES, random_state, sparse)


def tuned_estimators(estimators, scoring="f1_micro", strategy="global"):
    """Each estimator inside a :class:`~skmultimlp.MultiLabelTunedThresholdClassifierCV`.

    Parameters
    ----------
    estimators : dict of str to estimator
        Classifiers with ``predict_proba``, such as :func:`default_estimators`.
    scoring : {"f1_micro", "f1_macro", "f1_samples"}, default="f1_micro"
        The metric the thresholds maximise.
    strategy : {"global", "per_label"}, default="global"
        One threshold for all labels, or one per label (shrunk toward the
        global one for rare labels).

    Returns
    -------
    tuned : dict of str to estimator
        ``NAME_tuned`` for each ``NAME``: the tuner with its default 5-fold
        iterative stratification and ``refit=True``.

    Examples
    --------
    >>> from skmultimlp.benchmark import default_estimators, tuned_estimators
    >>> sorted(tuned_estimators(default_estimators()))[:2]
    ['cc_lr_tuned', 'knn_tuned']
    """
    return {
        f"{name}{TUNED_SUFFIX}": MultiLabelTunedThresholdClassifierCV(
            estimator, scoring=scoring, strategy=strategy
        )
        for name, estimator in estimators.items()
    }


def definition(name, scoring="f1_micro", strategy="global"):
    """The one-line legend of an estimator name (a base name or ``NAME_tuned``)."""
    base = name.removesuffix(TUNED_SUFFIX)
    if base == name:  # a name given to compare() by a user has no legend here
        row = BASELINES.get(name)
        return "(not a built-in name)" if row is None else row.legend
    return (
        TUNED_DEFINITION.replace("NAME", base)
        .replace("TUNE_SCORING", repr(scoring))
        .replace("TUNE_STRATEGY", repr(strategy))
    )


def estimated_fit_bytes(estimator, n_samples, n_features, n_labels):
    """A rough upper bound of the memory a fitted ``estimator`` holds, or None.

    Only the estimators whose size grows with the label space are estimated:
    a :class:`~sklearn.ensemble.RandomForestClassifier` stores in every node of
    every tree a float64 array of ``n_labels x 2`` class counts, and a fully
    grown tree has up to about ``2 x 0.632 n_samples`` nodes (one leaf per
    distinct bootstrap sample). On a 16k-row, 983-label dataset that is about
    31 GiB for 100 trees (the trees of such a fit were measured at 19 GiB when
    the process was killed). A
    :class:`~skmultimlp.MultiLabelTunedThresholdClassifierCV` holds its fold
    models until its refit, so it counts ``cv + 1`` of them. Pipelines count
    their last step. Anything else returns None (no estimate: it is small
    next to its data).

    Parameters
    ----------
    estimator : estimator instance
        Unfitted.
    n_samples, n_features, n_labels : int
        The shape of the training data it will see.

    Returns
    -------
    n_bytes : int or None
    """
    if isinstance(estimator, Pipeline):
        return estimated_fit_bytes(estimator[-1], n_samples, n_features, n_labels)
    if isinstance(estimator, MultiLabelTunedThresholdClassifierCV):
        n_splits = 5 if estimator.cv is None else getattr(estimator.cv, "n_splits", estimator.cv)
        if not isinstance(n_splits, int):
            return None
        fold_rows = n_samples * (n_splits - 1) // n_splits
        one_fold = estimated_fit_bytes(estimator.estimator, fold_rows, n_features, n_labels)
        full = estimated_fit_bytes(estimator.estimator, n_samples, n_features, n_labels)
        return None if full is None else n_splits * one_fold + full
    if isinstance(estimator, RandomForestClassifier):
        rows = n_samples
        if estimator.bootstrap:  # distinct rows of a bootstrap sample: 1 - 1/e
            rows = int(np.ceil(0.632 * n_samples))
        if isinstance(estimator.max_samples, int):
            rows = min(rows, estimator.max_samples)
        nodes = 2 * max(rows, 1) - 1
        # value: n_labels x 2 float64; the node record itself is 64 bytes.
        return int(estimator.n_estimators * nodes * (16 * n_labels + 64))
    return None
