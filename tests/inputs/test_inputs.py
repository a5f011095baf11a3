"""The input-kind seam (``_inputs``): the kind of X is picked once, and each kind gives
the fit and predict paths what they need: its prepared X, padded rows, placeholder,
dense chunks, a custom model's input, rows taken inside the compiled loop."""

import numpy as np
import pytest
import scipy.sparse as sp

from skmultimlp._arrays import ALIGNMENT
from skmultimlp._inputs import CSR, DENSE, SparseRows, input_kind, n_rows, row_width, slice_rows, take_rows

X_DENSE = np.array([[0, 2.0, 0, 3.0], [0, 0, 0, 0], [1.5, 0, 0, 0]], dtype=np.float32)


@pytest.mark.parametrize("X, kind", [
    (X_DENSE, DENSE),
    (X_DENSE.tolist(), DENSE),
    (sp.csr_matrix(X_DENSE), CSR),
    (sp.csr_array(X_DENSE), CSR),
    (sp.csc_matrix(X_DENSE), CSR),
    (sp.coo_array(X_DENSE), CSR),
], ids=["ndarray", "list", "csr_matrix", "csr_array", "csc_matrix", "coo_array"])
def test_input_kind_is_dense_or_csr(X, kind):
    assert input_kind(X) is kind
    assert kind.sparse == (kind is CSR)


def test_prepare_keeps_dense_and_csr_as_they_are_and_converts_other_sparse_formats():
    assert DENSE.prepare(X_DENSE) is X_DENSE
    csr = sp.csr_matrix(X_DENSE)
    assert CSR.prepare(csr) is csr
    csr_array = sp.csr_array(X_DENSE)
    assert CSR.prepare(csr_array) is csr_array
    converted = CSR.prepare(sp.csc_matrix(X_DENSE))
    assert converted.format == "csr"
    np.testing.assert_array_equal(converted.toarray(), X_DENSE)


def test_width_is_the_longest_row():
    assert DENSE.width(X_DENSE) is None
    assert CSR.width(sp.csr_matrix(X_DENSE)) == 2
    assert row_width(sp.csc_matrix(X_DENSE)) == 2  # counted without converting to CSR
    assert row_width(sp.csr_matrix((3, 5))) == 1  # no entries: still one slot


def test_dense_rows_are_padded_with_zero_rows_aligned():
    padded = DENSE.padded(X_DENSE.astype(np.float64), 5, None)
    assert padded.dtype == np.float32 and padded.ctypes.data % ALIGNMENT == 0
    np.testing.assert_array_equal(padded[:3], X_DENSE)
    np.testing.assert_array_equal(padded[3:], 0)
    np.testing.assert_array_equal(DENSE.placeholder(4, None), np.zeros((1, 4)))


def test_csr_rows_are_padded_to_indices_and_values_of_one_width():
    rows = CSR.padded(sp.csr_matrix(X_DENSE), 4, 3)
    assert isinstance(rows, SparseRows)
    assert rows.indices.dtype == np.int32 and rows.values.dtype == np.float32
    assert rows.indices.shape == rows.values.shape == (4, 3)
    np.testing.assert_array_equal(rows.indices, [[1, 3, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]])
    np.testing.assert_array_equal(rows.values, [[2.0, 3.0, 0], [0, 0, 0], [1.5, 0, 0], [0, 0, 0]])
    assert rows.indices.ctypes.data % ALIGNMENT == 0 and rows.values.ctypes.data % ALIGNMENT == 0
    placeholder = CSR.placeholder(4, 3)  # one empty row of the same layout
    assert placeholder.indices.shape == (1, 3) and not placeholder.values.any()


def test_dense_rows_of_a_chunk():
    chunk = X_DENSE[:2]
    assert DENSE.dense_rows(chunk) is chunk
    np.testing.assert_array_equal(CSR.dense_rows(sp.csr_matrix(X_DENSE)[1:]), X_DENSE[1:])


def test_a_custom_model_gets_csr_batches_densified(keras_imported):
    from keras import ops

    assert DENSE.model_input(4) is None
    # a row with a repeated column: the dense row holds the sum, as a matrix product would
    X = sp.csr_matrix((np.array([1.0, 2.0, 4.0]), np.array([1, 1, 3]), np.array([0, 2, 3])), shape=(2, 4))
    rows = CSR.padded(X, 2, 2)
    dense = CSR.model_input(4)(tuple(ops.convert_to_tensor(a) for a in rows))
    np.testing.assert_array_equal(ops.convert_to_numpy(dense), [[0, 3.0, 0, 0], [0, 0, 0, 4.0]])


def test_rows_are_taken_and_sliced_alike_from_dense_and_sparse_rows(keras_imported):
    from keras import ops

    dense = ops.convert_to_tensor(DENSE.padded(X_DENSE, 4, None))
    sparse = SparseRows(*(ops.convert_to_tensor(a) for a in CSR.padded(sp.csr_matrix(X_DENSE), 4, 2)))
    assert n_rows(dense) == n_rows(sparse) == 4
    order = ops.convert_to_tensor(np.array([2, 0], np.int32))
    np.testing.assert_array_equal(ops.convert_to_numpy(take_rows(dense, order)), X_DENSE[[2, 0]])
    taken = take_rows(sparse, order)
    assert isinstance(taken, SparseRows) and n_rows(taken) == 2
    np.testing.assert_array_equal(ops.convert_to_numpy(taken.indices), [[0, 0], [1, 3]])
    np.testing.assert_array_equal(ops.convert_to_numpy(taken.values), [[1.5, 0], [2.0, 3.0]])
    start = ops.convert_to_tensor(1)
    np.testing.assert_array_equal(ops.convert_to_numpy(slice_rows(dense, start, 2)), X_DENSE[1:3])
    sliced = slice_rows(sparse, start, 2)
    assert isinstance(sliced, SparseRows)
    np.testing.assert_array_equal(ops.convert_to_numpy(sliced.values), [[0, 0], [1.5, 0]])
