"""Turning probabilities into labels."""

import numpy as np


def resolve_thresholds(threshold, n_outputs):
    """Return one decision threshold per output as a float array of shape (n_outputs,).

    Raises
    ------
    ValueError
        If a sequence of thresholds has the wrong length or values outside [0, 1].
    """
    thresholds = np.asarray(threshold, dtype=np.float64)
    if thresholds.ndim == 0:
        return np.full(n_outputs, float(thresholds))
    if thresholds.shape != (n_outputs,):
        raise ValueError(
            f"threshold has {thresholds.size} values but the target has {n_outputs} labels; "
            "pass one float or one threshold per label."
        )
    if not np.all((thresholds >= 0) & (thresholds <= 1)) or not np.all(np.isfinite(thresholds)):
        raise ValueError(f"thresholds must lie in [0, 1], got {thresholds.tolist()}.")
    return thresholds


def apply_thresholds(probabilities, thresholds):
    """0/1 indicator matrix: 1 where a probability reaches its label's threshold."""
    return (probabilities >= thresholds).astype(np.int64)


def positive_proba(proba, classes, n_labels):
    """Probabilities of the positive class as one float array of shape (n, n_labels).

    ``proba`` is either such an array already (this package's MLP) or a list of one
    (n, k) array per label (RandomForest, MultiOutputClassifier), whose positive
    column is the one of class 1 in ``classes[j]``. A label constant in the training
    data has a single column: its probability is 1 if that class is 1, else 0.
    """
    if isinstance(proba, list):
        return np.column_stack([class_column(p, c, 1) for p, c in zip(proba, classes)])
    proba = np.asarray(proba, dtype=np.float64)
    if proba.ndim != 2 or proba.shape[1] != n_labels:
        raise ValueError(
            f"predict_proba returned an array of shape {proba.shape}; expected "
            f"(n_samples, {n_labels}) or a list of {n_labels} arrays of shape (n_samples, 2)"
        )
    return proba


def class_column(proba, classes, positive):
    """Column of ``proba`` for class ``positive``; zeros if the class is absent."""
    proba = np.asarray(proba, dtype=np.float64)
    hit = np.flatnonzero(np.asarray(classes) == positive)
    return proba[:, hit[0]] if hit.size else np.zeros(proba.shape[0])
