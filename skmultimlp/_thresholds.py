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
