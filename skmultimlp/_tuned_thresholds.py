"""Decision thresholds tuned by cross-validation for any multi-label classifier."""

from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.model_selection import check_cv
from sklearn.utils import get_tags, indexable
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted

from ._compat import HasMethods, Interval, StrOptions, _check_method_params, _fit_context, _safe_indexing
from ._unknown import with_unknowns
from ._threshold_search import F1_AVERAGES, Objective, tune_thresholds
from ._thresholds import apply_thresholds, class_column, positive_proba
from .model_selection import MultilabelStratifiedKFold

def _fit_fold(estimator, X, y, train, test, fit_params):
    """Fit a clone on ``train``; return it and its ``predict_proba`` on ``test``."""
    fold = clone(estimator).fit(
        _safe_indexing(X, train),
        _safe_indexing(y, train),
        **_check_method_params(X, fit_params, indices=train),
    )
    return fold, fold.predict_proba(_safe_indexing(X, test))


class MultiLabelTunedThresholdClassifierCV(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Multi-label classifier whose decision thresholds are tuned by cross-validation.

    The multi-label counterpart of scikit-learn's
    :class:`~sklearn.model_selection.TunedThresholdClassifierCV` (which is binary only):
    it wraps any classifier with ``predict_proba``, collects out-of-fold
    probabilities with ``cv``, picks the thresholds that maximise ``scoring`` on them,
    and predicts with those thresholds from the estimator refitted on all the data.

    Parameters
    ----------
    estimator : estimator instance
        A classifier with ``predict_proba`` for a label indicator matrix: this
        package's MLP (an (n, n_labels) array) or one returning a list of (n, 2)
        arrays, such as :class:`~sklearn.ensemble.RandomForestClassifier` or
        :class:`~sklearn.multioutput.MultiOutputClassifier`.
    scoring : {"f1_micro", "f1_macro", "f1_samples"} or callable, default="f1_micro"
        The metric to maximise. A callable is a scorer ``scorer(estimator, X, y)``
        (for example from :func:`~sklearn.metrics.make_scorer` with
        ``response_method="predict"``); it is given an object whose ``predict``
        returns the thresholded out-of-fold predictions. The F1 averages are computed
        from counts, a callable is called once per candidate (slower).
    strategy : {"global", "per_label"}, default="global"
        ``"global"``: one threshold for every label. ``"per_label"``: starting from
        the global threshold, one sweep of coordinate ascent moves each label's
        threshold to the grid value that maximises ``scoring`` with the others fixed
        (for ``"f1_macro"`` this is each label's own best F1; for ``"f1_micro"``,
        ``"f1_samples"`` and scorers a heuristic, not a joint optimum), then shrinks
        it toward the global one (see ``shrinkage``). Per-label thresholds usually
        raise F1-macro but may lower other metrics (Hamming loss): tune the metric
        you report.
    thresholds : int or array-like, default=49
        The candidate thresholds: an int ``m`` gives ``m`` evenly spaced values
        ``1/(m+1), ..., m/(m+1)`` (49: 0.02, 0.04, ..., 0.98); or the values
        themselves. A fixed grid rather than the unique out-of-fold probabilities:
        the probabilities of different fold models are not on one exact scale, a
        grid step is a mild regulariser, and every label shares one grid, so
        ``cv_results_`` has a fixed shape.
    shrinkage : float, default=10.0
        ``k`` in the per-label weight ``n_pos / (n_pos + k)``, where ``n_pos`` is the
        label's number of positives: a label's threshold is
        ``global + n_pos / (n_pos + k) * (own - global)``. A label with 10 positives
        goes half way from the global threshold to its own; 0 keeps its own.
    cv : int, cross-validation generator, iterable or None, default=None
        Splits for the out-of-fold probabilities. None is 5 folds and an int that
        many folds of :class:`~skmultimlp.model_selection.MultilabelStratifiedKFold`
        (iterative stratification, deterministic), which keeps rare labels in every
        fold. A splitter object is split with ``(X, y)`` as given.
    refit : bool, default=True
        Fit the estimator on all the data for prediction. ``False`` is only allowed
        with a single split, as in scikit-learn: the estimator fitted on that split's
        training part is kept.
    n_jobs : int, default=None
        Folds fitted in parallel (joblib); None is 1.

    Attributes
    ----------
    estimator_ : estimator instance
        The fitted classifier that predicts.
    thresholds_ : ndarray of shape (n_labels,)
        The threshold of each label (one value for a binary target).
    best_threshold_ : float
        The best global threshold (with ``strategy="global"`` every label's).
    best_score_ : float
        ``scoring`` of the out-of-fold probabilities at ``thresholds_``. It is
        measured on the data the thresholds were tuned on, hence optimistic.
    cv_results_ : dict
        ``"thresholds"`` (the grid) and ``"scores"`` (``scoring`` with that one
        threshold for all labels); with ``strategy="per_label"`` also
        ``"label_scores"`` (n_labels, n_thresholds): ``scoring`` when that label
        alone takes that threshold, ``"label_thresholds"`` (before shrinkage) and
        ``"n_positives"``.
    classes_ : ndarray or list of ndarray
        The estimator's ``classes_``.
    n_features_in_ : int
        Number of features seen by the estimator, when it records it.

    Examples
    --------
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.multioutput import MultiOutputClassifier
    >>> from skmultimlp import MultiLabelTunedThresholdClassifierCV
    >>> X, Y = make_multilabel_classification(n_samples=200, n_classes=4, random_state=0)
    >>> tuned = MultiLabelTunedThresholdClassifierCV(
    ...     MultiOutputClassifier(LogisticRegression()), strategy="per_label", cv=3)
    >>> tuned.fit(X, Y).predict(X[:2]).shape
    (2, 4)
    >>> tuned.thresholds_.shape
    (4,)
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_proba"])],
        "scoring": [StrOptions(set(F1_AVERAGES)), callable],
        "strategy": [StrOptions({"global", "per_label"})],
        "thresholds": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "shrinkage": [Interval(Real, 0, None, closed="left")],
        "cv": ["cv_object"],
        "refit": ["boolean"],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        estimator,
        *,
        scoring="f1_micro",
        strategy="global",
        thresholds=49,
        shrinkage=10.0,
        cv=None,
        refit=True,
        n_jobs=None,
    ):
        self.estimator = estimator
        self.scoring = scoring
        self.strategy = strategy
        self.thresholds = thresholds
        self.shrinkage = shrinkage
        self.cv = cv
        self.refit = refit
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Tune the thresholds on out-of-fold probabilities, then fit the estimator.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, as the estimator accepts it.
        y : array-like, sparse matrix or DataFrame of shape (n_samples, n_labels) or (n_samples,)
            A 0/1 label indicator matrix, or a binary target. Unknown labels (NaN
            entries, missing values of a DataFrame) are passed to the estimator as
            they are, left out of the stratification of the default ``cv``, and left
            out of the tuning: an unknown entry is neither a true nor a predicted
            positive, and a row with no known label does not count. A ``scoring``
            callable is given the target with its unknown entries.
        **fit_params : dict
            Passed to the estimator's ``fit`` (sample-aligned arrays are split).

        Returns
        -------
        self : object
            The fitted meta-estimator.
        """
        X, y = indexable(X, y)
        Y, observed = self._indicator(y)
        grid = self._grid()
        cv = self._check_cv()
        split_y = Y if self.cv is None or isinstance(self.cv, Integral) else y
        splits = list(cv.split(X, split_y))
        folds = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_fold)(self.estimator, X, y, train, test, fit_params)
            for train, test in splits
        )
        proba = np.zeros(Y.shape, dtype=np.float64)
        covered = np.zeros(len(Y), dtype=bool)
        for (train, test), (fold, fold_proba) in zip(splits, folds):
            proba[test] = self._positive_proba(fold, fold_proba, Y.shape[1])
            covered[test] = True
        if observed is not None:
            # Unknown entries are neither true nor predicted positives (a probability of
            # -inf reaches no threshold), and rows with no known label are left out.
            proba[~observed] = -np.inf
            covered &= observed.any(axis=1)
        objective = Objective(self.scoring, Y[covered], proba[covered], grid, self._decode(y, covered))
        self._tune(objective, grid)
        if self.refit:
            self.estimator_ = clone(self.estimator).fit(X, y, **fit_params)
        else:
            self.estimator_ = folds[0][0]
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(self.estimator_, name):
                setattr(self, name, getattr(self.estimator_, name))
        return self

    def _indicator(self, y):
        """Boolean (n, n_labels) matrix of ``y`` (False where unknown) and the mask of its
        known entries (None if all are); remembers a binary target's classes."""
        self._binary_classes = None
        values, unknown = with_unknowns(y)
        if unknown is not None:
            if not np.isin(values[~unknown], (0, 1)).all():
                raise ValueError("A multi-label target must contain only 0 and 1 (NaN for unknown).")
            return np.where(unknown, 0, values).astype(bool), ~unknown
        kind = type_of_target(y, input_name="y", raise_unknown=True)
        if kind == "binary" and not sparse.issparse(y):  # 1-D, or one column
            y = np.asarray(y).reshape(len(y), -1)[:, 0]
            classes = np.unique(y)
            if classes.size < 2:
                raise ValueError("y has one class; at least two are needed to tune a threshold.")
            self._binary_classes = classes
            return (y == classes[1])[:, None], None
        if kind != "multilabel-indicator":
            raise ValueError(
                "Only binary classification is supported for a single target; a "
                f"multi-label target must be a 0/1 indicator matrix. The type of the target is {kind}."
            )
        return (y.toarray() if sparse.issparse(y) else np.asarray(y)).astype(bool), None

    def _grid(self):
        if isinstance(self.thresholds, Integral):
            return np.arange(1, self.thresholds + 1) / (self.thresholds + 1)
        grid = np.unique(np.asarray(self.thresholds, dtype=np.float64))
        if grid.size == 0 or grid.ndim != 1 or not np.all((grid >= 0) & (grid <= 1)):
            raise ValueError("thresholds must be a non-empty 1-D sequence of values in [0, 1].")
        return grid

    def _check_cv(self):
        if self.cv is None or isinstance(self.cv, Integral):
            cv = MultilabelStratifiedKFold(n_splits=5 if self.cv is None else self.cv)
        else:
            cv = check_cv(self.cv, classifier=True)
        if not self.refit and cv.get_n_splits() > 1:
            raise ValueError("When cv has several folds, refit cannot be False.")
        return cv

    def _positive_proba(self, estimator, proba, n_labels):
        if self._binary_classes is not None:
            return class_column(proba, estimator.classes_, self._binary_classes[1])[:, None]
        return positive_proba(proba, getattr(estimator, "classes_", None), n_labels)

    def _decode(self, y, rows):
        """Turn 0/1 predictions back into ``y``'s format for a scorer (None: y itself)."""
        y_rows = _safe_indexing(y, np.flatnonzero(rows))
        classes = self._binary_classes
        if classes is None:
            return lambda predictions: y_rows if predictions is None else predictions
        return lambda predictions: y_rows if predictions is None else classes[predictions[:, 0]]

    def _tune(self, objective, grid):
        """Set best_threshold_, thresholds_, best_score_ and cv_results_."""
        tuned = tune_thresholds(objective, grid, self.strategy, self.shrinkage)
        self.best_threshold_, self.thresholds_, self.best_score_, self.cv_results_ = tuned

    @property
    def classes_(self):
        """The estimator's ``classes_``."""
        return self.estimator_.classes_

    def predict_proba(self, X):
        """Probabilities: (n, n_labels) of the positive class of each label.

        For a binary target, the estimator's (n, 2) ``predict_proba``.
        """
        check_is_fitted(self, "estimator_")
        proba = self.estimator_.predict_proba(X)
        if self._binary_classes is not None:
            return proba
        return positive_proba(proba, getattr(self.estimator_, "classes_", None), self.thresholds_.size)

    def predict(self, X):
        """0/1 indicator matrix from ``predict_proba`` and ``thresholds_``.

        For a binary target, the class labels.
        """
        proba = self.predict_proba(X)
        if self._binary_classes is not None:
            positive = class_column(proba, self.estimator_.classes_, self._binary_classes[1])
            return self._binary_classes[(positive >= self.thresholds_[0]).astype(int)]
        return apply_thresholds(proba, self.thresholds_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        tags.classifier_tags.multi_class = False
        tags.target_tags.multi_output = True
        inner = get_tags(self.estimator).input_tags
        tags.input_tags.sparse, tags.input_tags.allow_nan = inner.sparse, inner.allow_nan
        return tags
