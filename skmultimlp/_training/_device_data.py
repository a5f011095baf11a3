"""Training data as backend tensors: padded, indexed, sparse rows kept sparse, not copied.

``device_data`` turns a ``TrainingData`` into the ``DeviceData`` of the compiled
loop: rows padded to a size shared by folds of similar sizes (one compilation for a
cross-validation), features laid out by their input kind (``_inputs``: sparse
rows as padded per-row indices and values), training rows chosen by sample weight
rather than copied, and arrays handed to the backend without a copy where it allows.
"""

import numpy as np

from .._arrays import aligned_zeros, pad, padded_validation_size
from .._backend import shared_tensors
from .._inputs import input_kind
from ._types import DeviceData


def device_data(data, n_pad):
    """Padded backend tensors of all the data (training rows are chosen by index) and of
    the validation data.

    Sample weights have ``n_pad + 1`` entries, zero except on training rows: the
    mini-batch orders point at entry ``n_pad`` where an epoch has no more samples.
    Without validation, a one-row placeholder keeps the function signature fixed.
    """
    X, Y, W = data.X, data.Y, data.W
    kind = input_kind(X)
    width = kind.width(X)
    weights = aligned_zeros((n_pad + 1,), np.float32)
    train = slice(0, X.shape[0]) if data.rows is None else data.rows
    weights[train] = W[train]
    if data.validation is not None:
        val_pad = padded_validation_size(data.validation.X.shape[0])
        Xv = kind.padded(data.validation.X, val_pad, width)
        Yv, Wv = pad(data.validation.Y, val_pad, np.uint8), pad(data.validation.W, val_pad)
    else:
        Xv = kind.placeholder(X.shape[1], width)
        Yv, Wv = np.zeros((1, Y.shape[1]), np.uint8), np.zeros(1, np.float32)
    return DeviceData(
        X=shared_tensors(kind.padded(X, n_pad, width)), Y=shared_tensors(pad(Y, n_pad, np.uint8)),
        W=shared_tensors(weights), X_val=shared_tensors(Xv), Y_val=shared_tensors(Yv),
        W_val=shared_tensors(Wv),
    )
