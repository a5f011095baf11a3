"""Training data as backend tensors: padded, indexed, sparse rows kept sparse, not copied.

``device_data`` turns a ``_training.TrainingData`` into the ``_loop.DeviceData`` of
the compiled loop: rows padded to a size shared by folds of similar sizes (one
compilation for a cross-validation), sparse features as padded per-row indices and
values (``_sparse``), training rows chosen by sample weight rather than copied, and
arrays handed to the backend without a copy where it allows.
"""

import functools

import numpy as np
import scipy.sparse as sp

from ._loop import DeviceData
from ._sparse import padded_rows, row_width

MAX_PADDED_ROWS = 2**16  # larger data sets are not padded (no copy of X; one compile per size)
ALIGNMENT = 64  # bytes: TensorFlow shares (does not copy) NumPy data aligned to this
MIN_VALIDATION_ROWS = 128  # padded size of every validation split up to 127 rows


def padded_size(n):
    """Smallest ``m * 2**k`` (8 <= m < 16) strictly above ``n``.

    Data are padded to this many rows (with zero weight) so that folds of slightly
    different sizes share one compiled function; padding is at most 1/8 of ``n``.
    """
    k = max(int(n).bit_length() - 4, 0)
    return ((n >> k) + 1) << k


def padded_validation_size(n):
    """Rows the validation data are padded to: at least ``MIN_VALIDATION_ROWS``, so that
    folds whose stratified validation splits differ by a row or two share a compilation."""
    return padded_size(max(n, MIN_VALIDATION_ROWS - 1))


def pad(a, rows, dtype=np.float32):
    """``a`` as ``dtype`` with zero rows appended up to ``rows``, 64-byte aligned (a copy
    only when ``a`` is not already such an array)."""
    a = np.asarray(a)
    if a.shape[0] == rows and a.dtype == dtype and a.flags.c_contiguous and a.ctypes.data % ALIGNMENT == 0:
        return a
    out = aligned_zeros((rows,) + a.shape[1:], dtype)
    out[: a.shape[0]] = a
    return out


def _features(X, rows, width):
    """Dense features padded to ``rows``, or sparse ones as padded ``(indices, values)``."""
    return padded_rows(X, rows, width) if sp.issparse(X) else pad(X, rows)


def device_data(data, n_pad):
    """Padded backend tensors of all the data (training rows are chosen by index) and of
    the validation data.

    Sample weights have ``n_pad + 1`` entries, zero except on training rows: the
    mini-batch orders point at entry ``n_pad`` where an epoch has no more samples.
    Without validation, a one-row placeholder keeps the function signature fixed.
    """
    X, Y, W, validation, rows = data
    width = row_width(X) if sp.issparse(X) else None
    weights = aligned_zeros((n_pad + 1,), np.float32)
    train = slice(0, X.shape[0]) if rows is None else rows
    weights[train] = W[train]
    if validation is not None:
        Xv, Yv, Wv = validation
        val_pad = padded_validation_size(Xv.shape[0])
        Xv, Yv, Wv = _features(Xv, val_pad, width), pad(Yv, val_pad, np.uint8), pad(Wv, val_pad)
    else:
        Xv = _features(sp.csr_matrix((1, X.shape[1])) if width else np.zeros((1, X.shape[1])), 1, width)
        Yv, Wv = np.zeros((1, Y.shape[1]), np.uint8), np.zeros(1, np.float32)
    arrays = (_features(X, n_pad, width), pad(Y, n_pad, np.uint8), weights, Xv, Yv, Wv)
    return DeviceData(*(shared_tensors(a) for a in arrays))


def to_tensors(value):
    from keras import ops

    if isinstance(value, (list, tuple)):
        return type(value)(to_tensors(v) for v in value)
    return ops.convert_to_tensor(value)


def shared_tensors(value):
    """Backend tensors of NumPy arrays, sharing their memory on a CPU (no copy of the data).

    TensorFlow's and Keras' conversions copy (TensorFlow's holds two copies at its peak);
    DLPack hands a 64-byte aligned array over as it is. On an accelerator the data must
    move anyway, and a CPU-placed JAX array would pin the computation to the CPU.
    """
    if isinstance(value, (list, tuple)):
        return type(value)(shared_tensors(v) for v in value)
    import keras

    backend = keras.backend.backend()
    if value.flags.c_contiguous and value.ctypes.data % ALIGNMENT == 0 and _on_cpu(backend):
        if backend == "tensorflow":
            import tensorflow as tf

            return tf.experimental.dlpack.from_dlpack(value.__dlpack__())
        if backend == "jax":
            import jax

            return jax.dlpack.from_dlpack(value)
    return to_tensors(value)


@functools.lru_cache(maxsize=None)
def _on_cpu(backend):
    if backend == "tensorflow":
        import tensorflow as tf

        return not tf.config.list_logical_devices("GPU")
    if backend == "jax":
        import jax

        return jax.default_backend() == "cpu"
    return False


def aligned_zeros(shape, dtype):
    """``np.zeros`` whose data start on an ``ALIGNMENT``-byte boundary (see ``shared_tensors``)."""
    dtype = np.dtype(dtype)
    size = int(np.prod(shape)) * dtype.itemsize
    buffer = np.zeros(size + ALIGNMENT, np.uint8)
    start = -buffer.ctypes.data % ALIGNMENT
    return buffer[start : start + size].view(dtype).reshape(shape)
