"""Forward passes on the host, in bounded chunks of rows: NumPy (built-in MLP) and Keras."""

import numpy as np
from scipy.special import expit, softmax

from .._inputs import input_kind
from ._activations import NUMPY_ACTIVATIONS
from ._ensemble import is_ensemble, members_forward

PREDICT_CHUNK_ROWS = 8192  # predictions are computed in chunks of at most this many rows
PREDICT_CHUNK_ENTRIES = 2**24  # and of at most this many dense entries (64 MiB of float32)


def forward_numpy(X, coefs, intercepts, activation, out_activation):
    """Probabilities of the built-in MLP from its weights, in NumPy (no Keras call).

    ``X`` may be sparse (CSR): its first layer is a sparse-dense product, as in
    MLPClassifier. Rows are processed in chunks, so memory stays bounded for any size.
    """
    kind = input_kind(X)
    act = NUMPY_ACTIVATIONS[activation]
    members = members_forward(coefs, intercepts, act, out_activation) if is_ensemble(coefs) else None

    def forward(rows):
        rows = rows.astype(np.float32) if kind.sparse else np.asarray(rows, dtype=np.float32)
        if members is not None:  # n_networks > 1: coefs_ have a leading members axis
            return members(rows)
        for W, b in zip(coefs[:-1], intercepts[:-1]):
            rows = act(rows @ W + b)
        Z = rows @ coefs[-1] + intercepts[-1]
        return softmax(Z, axis=1) if out_activation == "softmax" else expit(Z)

    # A sparse chunk is never densified: its largest dense array is the widest layer.
    widths = [W.shape[-1] * (W.shape[0] if W.ndim == 3 else 1) for W in coefs]
    widths += [] if kind.sparse else [X.shape[1]]
    return _in_chunks(forward, X, max(widths))


def forward_keras(model, X):
    """Probabilities of any Keras model, in chunks of rows (sparse chunks densified)."""
    from keras import ops

    kind = input_kind(X)

    def forward(rows):
        return ops.convert_to_numpy(model(np.asarray(kind.dense_rows(rows), dtype=np.float32), training=False))

    return _in_chunks(forward, X, X.shape[1])


def _in_chunks(forward, X, width):
    """``forward`` applied to chunks of rows of ``X``, concatenated: chunks of at most
    ``PREDICT_CHUNK_ENTRIES`` dense entries of ``width`` columns each, so the memory of a
    prediction does not grow with ``X``."""
    X = input_kind(X).prepare(X)
    rows = max(1, min(PREDICT_CHUNK_ROWS, PREDICT_CHUNK_ENTRIES // max(width, 1)))
    if X.shape[0] <= rows:
        return forward(X)
    return np.concatenate([forward(X[i : i + rows]) for i in range(0, X.shape[0], rows)])
