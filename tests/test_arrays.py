"""Padded, aligned arrays (``_arrays``): the row counts the compiled loop is keyed by."""

import numpy as np
import pytest

from skmultimlp import _arrays
from skmultimlp._arrays import ALIGNMENT, aligned_zeros, n_padded_rows, pad, padded_size, padded_validation_size


def test_padded_size_buckets():
    for n in [1, 7, 15, 16, 100, 533, 534, 900, 1000, 123_457]:
        size = padded_size(n)
        assert n < size <= n + max(1, n // 8) + 1
    assert padded_size(533) == padded_size(534)


def test_large_data_and_validation_splits():
    assert n_padded_rows(100) == padded_size(100)
    assert n_padded_rows(_arrays.MAX_PADDED_ROWS + 1) == _arrays.MAX_PADDED_ROWS + 1  # not copied
    # every validation split under MIN_VALIDATION_ROWS shares one size
    assert {padded_validation_size(n) for n in (1, 20, 127)} == {padded_validation_size(127)}
    assert padded_validation_size(127) >= _arrays.MIN_VALIDATION_ROWS


@pytest.mark.parametrize("shape, dtype", [((3, 5), np.float32), ((7,), np.uint8), ((2, 3, 4), np.int32)])
def test_aligned_zeros(shape, dtype):
    a = aligned_zeros(shape, dtype)
    assert a.shape == shape and a.dtype == dtype and a.flags.c_contiguous and a.flags.writeable
    assert a.ctypes.data % ALIGNMENT == 0 and not a.any()


def test_pad_appends_zero_rows_and_copies_only_when_it_must():
    a = np.arange(6, dtype=np.float64).reshape(3, 2)
    padded = pad(a, 5)
    assert padded.dtype == np.float32 and padded.ctypes.data % ALIGNMENT == 0
    np.testing.assert_array_equal(padded, [[0, 1], [2, 3], [4, 5], [0, 0], [0, 0]])
    assert pad(padded, 5) is padded  # already padded, aligned and of the dtype
    assert pad(padded, 6) is not padded
    labels = pad(np.eye(2, dtype=np.uint8), 3, np.uint8)
    assert labels.dtype == np.uint8 and labels.tolist() == [[1, 0], [0, 1], [0, 0]]
