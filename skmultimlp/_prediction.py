"""Predictions of the fitted network: probabilities, thresholds, labels, label sets."""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._compat import validate_data
from ._label_sets import label_sets
from ._network import forward_keras, forward_numpy
from ._threshold_search import AUTO_THRESHOLDS, auto_metric, tune_on_validation
from ._thresholds import apply_thresholds, resolve_thresholds


class PredictionMixin:
    """``predict_proba``, ``predict``, ... and ``thresholds_`` of ``MultiLabelMLPClassifier``
    (what ``_fit.BaseMultiLabelMLP.fit`` left: ``model_``, ``coefs_``, the target kind)."""

    @property
    def thresholds_(self):
        if not hasattr(self, "_target_kind"):
            raise AttributeError("thresholds_ is set by fit")
        n_outputs = 1 if self._target_kind == "binary" else self.n_outputs_
        if not isinstance(self.threshold, str):
            return resolve_thresholds(self.threshold, n_outputs)
        if self.threshold not in AUTO_THRESHOLDS:
            raise ValueError(f"threshold must be a float, an array or one of {sorted(AUTO_THRESHOLDS)}, "
                             f"got {self.threshold!r}.")
        proba = getattr(self, "_validation_proba", None)  # None: no validation split (or not multi-label)
        if proba is None:
            return np.full(n_outputs, 0.5)
        key = (self.threshold, auto_metric(self.scoring))
        if self._auto_thresholds is not None and self._auto_thresholds[0] == key:
            return self._auto_thresholds[1].copy()
        return tune_on_validation(*key, proba, self._validation_Y)  # changed since fit

    def _forward(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], dtype=[np.float64, np.float32],
                          reset=False)
        if self.model is not None:
            return forward_keras(self.model_, X)
        return forward_numpy(X, self.coefs_, self.intercepts_, self.activation, self.out_activation_)

    def predict_proba(self, X):
        """Probability of each label (multi-label) or class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_labels) or (n_samples, n_classes)
            For a multi-label target, column ``j`` is the probability that label
            ``classes_[j]`` applies (columns need not sum to one). For a binary
            target, two columns ``1 - p`` and ``p``.
        """
        p = self._forward(X)
        if self._target_kind == "binary":
            return np.hstack([1 - p, p])
        return p

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray
            Same shape as :meth:`predict_proba`.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Predicted labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y : ndarray
            A 0/1 indicator matrix of shape (n_samples, n_labels) for a
            multi-label target (``predict_proba >= thresholds_``); class labels of
            shape (n_samples,) for a binary or multiclass target.
        """
        p = self._forward(X)
        if self._target_kind == "multilabel":
            return apply_thresholds(p, self.thresholds_)
        if self._target_kind == "binary":
            return self.classes_[apply_thresholds(p[:, 0], self.thresholds_[0])]
        return self.classes_[np.argmax(p, axis=1)]

    def predict_label_sets(self, X):
        """Predicted labels of each sample as a tuple of label names.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        label_sets : list of tuple
            For each sample, the ``classes_`` whose probability reaches its
            threshold, e.g. ``[("cat", "dog"), (), ("dog",)]``. Inside a
            ``Pipeline`` or a search, :func:`skmultimlp.label_sets` does the same
            from ``predict``'s output and ``classes_``.
        """
        check_is_fitted(self)
        if self._target_kind != "multilabel":
            raise ValueError("predict_label_sets is for multi-label targets; use predict.")
        return label_sets(self.predict(X), self.classes_)

