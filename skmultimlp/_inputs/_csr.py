"""Sparse features without densifying: padded per-row indices and values.

A CSR matrix becomes two ``(n_rows, width)`` arrays, the column indices and values of
each row's non-zeros, padded with zeros to ``width`` (the longest row); a padding slot
adds ``0 * kernel[0]``. Their rows are gathered by a mini-batch like dense rows, and
the built-in network computes its first layer from them as an embedding bag does
(``_network._bag_dense.BagDense``: ``sum_j value_j * kernel[index_j]``), so a step costs in proportion to
the non-zeros, not to the number of columns. A custom model gets each mini-batch
densified inside the compiled loop (``densify``): its input layer is the user's.

Why this layout: the compiled loop needs static shapes, and a gather over padded rows
is one XLA-friendly operation on TensorFlow, JAX and PyTorch alike, with
backward pass a scatter-add into the kernel's gradient. Memory is ``8 * rows *
width`` bytes: close to the CSR size when rows have similar lengths (text with a
vocabulary cap), more when a few rows are much longer than the rest.
"""

import functools

import numpy as np
import scipy.sparse as sp

from .._arrays import aligned_zeros
from ._types import InputKind, SparseRows

ROWS_PER_CHUNK = 2**16  # rows converted at a time: bounds the temporary index arrays
# sparse_update="auto": the lazy update when n_columns > this * batch_size * width
AUTO_MIN_RATIO = 10


def row_width(X):
    """The number of stored entries of the longest row of CSR or CSC ``X`` (at least 1)."""
    if X.format == "csc":  # counted without converting to CSR
        counts = np.bincount(X.indices, minlength=X.shape[0])
    else:
        counts = np.diff(X.indptr)
    return max(1, int(counts.max(initial=0)))


def padded_rows(X, n_rows, width=None):
    """``SparseRows`` of CSR ``X``: int32 indices and float32 values of shape (n_rows, width).

    Rows from ``X.shape[0]`` to ``n_rows`` are zero (padding, as for dense data).
    Duplicate entries of a row are kept: both layouts sum them, as a matrix product would.
    """
    width = row_width(X) if width is None else width
    indices = aligned_zeros((n_rows, width), np.int32)
    values = aligned_zeros((n_rows, width), np.float32)
    counts = np.diff(X.indptr)
    for start in range(0, X.shape[0], ROWS_PER_CHUNK):
        stop = min(start + ROWS_PER_CHUNK, X.shape[0])
        first, last = X.indptr[start], X.indptr[stop]
        row = np.repeat(np.arange(start, stop), counts[start:stop])
        slot = np.arange(last - first) - np.repeat(X.indptr[start:stop] - first, counts[start:stop])
        indices[row, slot] = X.indices[first:last]
        values[row, slot] = X.data[first:last]
    return SparseRows(indices, values)


def as_csr(X):
    """CSR ``X`` as is; CSC (or any other sparse format) converted once: rows are gathered."""
    return X if sp.isspmatrix_csr(X) or isinstance(X, sp.csr_array) else sp.csr_matrix(X)


def densify(inputs, n_features):
    """The dense rows of a mini-batch of ``SparseRows`` (inside the compiled loop)."""
    from keras import ops

    indices, values = inputs
    rows = ops.broadcast_to(ops.arange(ops.shape(indices)[0])[:, None], ops.shape(indices))
    where = ops.stack([ops.reshape(rows, (-1,)), ops.reshape(ops.cast(indices, "int32"), (-1,))], axis=1)
    return ops.scatter(where, ops.reshape(values, (-1,)), (ops.shape(indices)[0], n_features))


def _placeholder(n_features, width):
    return padded_rows(sp.csr_matrix((1, n_features)), 1, width)


def _dense_rows(rows):
    return rows.toarray()


def _model_input(n_features):
    """A custom model's input layer is the user's: it takes each mini-batch densified."""
    return functools.partial(densify, n_features=n_features)


CSR = InputKind("csr", as_csr, row_width, padded_rows, _placeholder, _dense_rows, _model_input,
                sparse=True)


def uses_lazy_update(sparse_update, X, custom_model, batch_size):
    """Whether a fit on ``X`` takes the lazy update (the estimator's ``sparse_update``).

    Sparse ``X`` and the built-in network only (a custom model's first layer is the
    user's), on TensorFlow and JAX (the PyTorch backend is not tested with it).
    ``"auto"`` takes it when the first layer has more than ``AUTO_MIN_RATIO`` times
    as many rows as the slots of a batch (``batch_size`` times the longest row):
    below that the gathers and scatters of the slots cost as much as the dense
    update (``benchmarks/scale.py --columns-sweep``, docs/performance.md).
    """
    if sparse_update == "dense" or not sp.issparse(X) or custom_model is not None:
        return False
    import keras

    if keras.backend.backend() not in ("tensorflow", "jax"):
        return False
    if sparse_update == "lazy":
        return True
    return X.shape[1] > AUTO_MIN_RATIO * batch_size * row_width(X)
