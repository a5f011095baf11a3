"""Padded, 64-byte aligned NumPy arrays: the shapes the compiled loop is keyed by.

Rows are padded (with zero weight) to sizes shared by folds of similar sizes, so a
cross-validation compiles once; arrays start on an ``ALIGNMENT``-byte boundary so
that the backend shares them instead of copying (``_backend.shared_tensors``).
"""

import numpy as np

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


def n_padded_rows(n):
    """The rows ``n`` training rows are padded to: ``padded_size(n)`` up to
    ``MAX_PADDED_ROWS``, ``n`` itself above (no copy of large data)."""
    return padded_size(n) if n <= MAX_PADDED_ROWS else n


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


def aligned_zeros(shape, dtype):
    """``np.zeros`` whose data start on an ``ALIGNMENT``-byte boundary."""
    dtype = np.dtype(dtype)
    size = int(np.prod(shape)) * dtype.itemsize
    buffer = np.zeros(size + ALIGNMENT, np.uint8)
    start = -buffer.ctypes.data % ALIGNMENT
    return buffer[start : start + size].view(dtype).reshape(shape)
