"""Sparse features without densifying: padded per-row indices and values.

A CSR matrix becomes two ``(n_rows, width)`` arrays, the column indices and values of
each row's non-zeros, padded with zeros to ``width`` (the longest row); a padding slot
adds ``0 * kernel[0]``. Their rows are gathered by a mini-batch like dense rows, and
the built-in network computes its first layer from them as an embedding bag does
(``BagDense``: ``sum_j value_j * kernel[index_j]``), so a step costs in proportion to
the non-zeros, not to the number of columns. A custom model gets each mini-batch
densified inside the compiled loop (``densify``): its input layer is the user's.

Why this layout: the compiled loop needs static shapes, and a gather over padded rows
is one XLA-friendly operation on TensorFlow, JAX and PyTorch alike, with
backward pass a scatter-add into the kernel's gradient. Memory is ``8 * rows *
width`` bytes: close to the CSR size when rows have similar lengths (text with a
vocabulary cap), more when a few rows are much longer than the rest.
"""

import numpy as np
import scipy.sparse as sp

ROWS_PER_CHUNK = 2**16  # rows converted at a time: bounds the temporary index arrays
BAG_ROWS_PER_CHUNK = 4096  # rows of a large batch whose first layer is computed at once


def row_width(X):
    """The number of stored entries of the longest row of CSR or CSC ``X`` (at least 1)."""
    if X.format == "csc":  # counted without converting to CSR
        counts = np.bincount(X.indices, minlength=X.shape[0])
    else:
        counts = np.diff(X.indptr)
    return max(1, int(counts.max(initial=0)))


def padded_rows(X, n_rows, width=None):
    """``(indices, values)`` of CSR ``X``: int32 and float32 arrays of shape (n_rows, width).

    Rows from ``X.shape[0]`` to ``n_rows`` are zero (padding, as for dense data).
    Duplicate entries of a row are kept: both layouts sum them, as a matrix product would.
    """
    from ._device_data import aligned_zeros

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
    return indices, values


def as_csr(X):
    """CSR ``X`` as is; CSC (or any other sparse format) converted once: rows are gathered."""
    return X if sp.isspmatrix_csr(X) or isinstance(X, sp.csr_array) else sp.csr_matrix(X)


def densify(inputs, n_features):
    """The dense rows of a mini-batch of ``(indices, values)`` (inside the compiled loop)."""
    from keras import ops

    indices, values = inputs
    rows = ops.broadcast_to(ops.arange(ops.shape(indices)[0])[:, None], ops.shape(indices))
    where = ops.stack([ops.reshape(rows, (-1,)), ops.reshape(ops.cast(indices, "int32"), (-1,))], axis=1)
    return ops.scatter(where, ops.reshape(values, (-1,)), (ops.shape(indices)[0], n_features))


def bag_dense_class():
    """``BagDense``, defined on first use so that importing this module imports no Keras."""
    global _BagDense
    if _BagDense is None:
        _BagDense = _define_bag_dense()
    return _BagDense


_BagDense = None


def _define_bag_dense():
    import keras
    from keras import ops

    class BagDense(keras.layers.Layer):
        """``Dense`` on ``(indices, values)`` rows: the same kernel and bias, in that order."""

        def __init__(self, n_features, units, activation=None, **kwargs):
            super().__init__(**kwargs)
            self.n_features, self.units = n_features, units
            self.activation = keras.activations.get(activation)

        def build(self, input_shape):
            # Zeros: an unseeded initializer would draw from Python's global random; the
            # training loop runs this layer on the weights of the dense model anyway.
            self.kernel = self.add_weight(shape=(self.n_features, self.units), name="kernel",
                                          initializer="zeros")
            self.bias = self.add_weight(shape=(self.units,), name="bias", initializer="zeros")

        def call(self, inputs):
            indices, values = inputs
            n = indices.shape[0]
            if n is None or n <= BAG_ROWS_PER_CHUNK:
                return self.activation(self._bag(indices, values) + self.bias)
            # A large batch in chunks: the gathered kernel rows are rows x width x units
            # floats, which would dwarf the data. (The validation rows come in chunks of
            # this size already: _loop.in_row_chunks.)
            chunks = [self._bag(indices[i : i + BAG_ROWS_PER_CHUNK], values[i : i + BAG_ROWS_PER_CHUNK])
                      for i in range(0, n, BAG_ROWS_PER_CHUNK)]
            return self.activation(ops.concatenate(chunks, axis=0) + self.bias)

        def _bag(self, indices, values):
            rows = ops.take(self.kernel, ops.cast(indices, "int32"), axis=0)  # (batch, width, units)
            return ops.einsum("bw,bwu->bu", values, rows)

        def compute_output_shape(self, input_shape):
            return (input_shape[0][0], self.units)

    return BagDense
