"""Whether a fit diverged: the trained network against an uninformative one, in NumPy.

Independent of the compiled loop on purpose: the loss is computed again on the host,
on (the first rows of) the data the stopping rule watches.
"""

import numpy as np

from .._inputs import input_kind
from .._network import forward_keras
from ._losses import EPSILON

DIVERGENCE_CHECK_ROWS = 2048
DIVERGENCE_CHECK_ENTRIES = 2**21
MIN_DIVERGENCE_ROWS = 30


def watched_fit(model, data, output_activation):
    """How well ``model`` fits (the first rows of) the data the stopping rule watches.

    Returns the cross-entropy of its probabilities (weighted by sample, not by class,
    as the validation loss), that of an uninformative prediction (0.5 for every label,
    1 / n_classes for a softmax), the share of outputs that are confidently wrong
    (within 1e-6 of the wrong answer), whether outputs and weights are finite, and
    the number of rows measured.
    """
    X, Y, W = data.validation if data.validation is not None else (data.X, data.Y, data.W)
    rows = slice(0, DIVERGENCE_CHECK_ROWS)
    X, Y, W = X[rows], Y[rows].astype(np.float64), W[rows]
    # Sparse rows are densified for the Keras model: a few at a time (2**21 entries, 8 MiB),
    # as this check must not raise the fit's peak memory (prediction chunks are 64 MiB).
    step = DIVERGENCE_CHECK_ENTRIES // X.shape[1] if input_kind(X).sparse else X.shape[0]
    step = max(step, 1)
    p = np.concatenate([forward_keras(model, X[i : i + step]) for i in range(0, X.shape[0], step)]
                       or [forward_keras(model, X)]).astype(np.float64)
    finite = bool(np.all(np.isfinite(p))) and all(np.all(np.isfinite(w)) for w in model.get_weights())
    if output_activation == "softmax":
        p = np.clip(p / p.sum(axis=1, keepdims=True), EPSILON, 1 - EPSILON)
        truth = (Y * p).sum(axis=1)
        losses, reference = -np.log(truth), np.full(len(Y), np.log(Y.shape[1]))
        wrong = float(np.mean(truth < 1e-6))
    else:
        observed = Y <= 1  # unknown labels (_unknown.UNKNOWN) are left out
        wrong = float(np.mean((np.abs(Y - p) > 1 - 1e-6)[observed])) if observed.any() else 0.0
        p = np.clip(p, EPSILON, 1 - EPSILON)
        entries = -(Y * np.log(p) + (1 - Y) * np.log(1 - p))
        if observed.all():
            losses = entries.mean(axis=1)
        else:
            losses = np.where(observed, entries, 0).sum(axis=1) / np.maximum(observed.sum(axis=1), 1)
        reference = np.full(len(Y), np.log(2))
    total = max(float(W.sum()), EPSILON)
    return float(losses @ W) / total, float(reference @ W) / total, wrong, finite, X.shape[0]


def check_not_diverged(final, initial_loss, watched, learning_rate):
    """Raise when training diverged, given ``watched_fit`` after it and ``initial_loss()``.

    Diverged: non-finite outputs or weights, or a fit more than twice as bad as an
    uninformative one that is either worse than the initial weights or stuck there:
    saturated (a tenth or more of its outputs at the wrong one of 0 and 1: too high a
    learning rate, or unscaled features) with less than 10% progress. A network that
    is merely not trained enough (a few epochs on unscaled data) has made progress
    and does not count, nor are fewer than ``MIN_DIVERGENCE_ROWS`` watched rows enough
    to tell.
    """
    loss, reference, confidently_wrong, finite = final[:4]
    enough_rows = final[4] >= MIN_DIVERGENCE_ROWS  # one wrong answer is not divergence
    bad = False
    if enough_rows and loss > 2 * reference:
        initial = initial_loss()
        # worse than at the start, or stuck: saturated and no real progress
        bad = loss > initial or (confidently_wrong >= 0.1 and loss > 0.9 * initial)
    if finite and not bad:
        return
    raise ValueError(
        f"Training diverged: the loss on the {watched} data ({loss:.3g}) is more than twice that "
        f"of an uninformative prediction ({reference:.3g}){'' if finite else ' or not finite'}; "
        f"lower learning_rate_init (now {learning_rate:g}) or scale X (e.g. with StandardScaler)."
    )
