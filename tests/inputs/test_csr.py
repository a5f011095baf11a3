"""CSR features (``_inputs._csr``) at scale: never densified, padded rows, a custom model's
densified batches, predictions and validation scores computed in bounded chunks."""

import tracemalloc
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import f1_score

from skmultimlp import MultiLabelMLPClassifier
from skmultimlp._inputs._csr import padded_rows

from helpers import small_functional_model


def _wide_sparse(n_rows=600, n_columns=200_000, per_row=8, seed=0):
    """CSR features too wide to densify in a test (600 x 200k float32 = 0.45 GiB), with
    labels that depend on them."""
    rng = np.random.default_rng(seed)
    common = min(2_000, n_columns // 2)
    indices = np.sort(rng.integers(0, common, size=(n_rows, per_row)), axis=1)  # few columns used
    indices[:, -1] = rng.integers(common, n_columns, size=n_rows)  # and the rest of the width
    X = sp.csr_matrix((rng.random(n_rows * per_row, dtype=np.float32), indices.ravel(),
                       np.arange(0, n_rows * per_row + 1, per_row)), shape=(n_rows, n_columns))
    projection = rng.standard_normal((n_columns, 3)).astype(np.float32)
    scores = X @ projection
    return X, (scores > np.median(scores, axis=0)).astype(np.uint8)


def test_padded_rows_hold_each_rows_nonzeros():
    X = sp.csr_matrix(np.array([[0, 2.0, 0, 3.0], [0, 0, 0, 0], [1.5, 0, 0, 0]]))
    indices, values = padded_rows(X, 4)
    assert indices.shape == values.shape == (4, 2) and indices.dtype == np.int32
    np.testing.assert_array_equal(indices, [[1, 3], [0, 0], [0, 0], [0, 0]])
    np.testing.assert_array_equal(values, [[2.0, 3.0], [0, 0], [1.5, 0], [0, 0]])
    # The rows' products with any kernel are those of the dense matrix (duplicates sum).
    dup = sp.csr_matrix((np.array([1.0, 2.0]), np.array([1, 1]), np.array([0, 2])), shape=(1, 4))
    kernel = np.arange(8.0).reshape(4, 2)
    for matrix in (X, dup):
        idx, val = padded_rows(matrix, matrix.shape[0])
        np.testing.assert_allclose((val[:, :, None] * kernel[idx]).sum(axis=1), matrix @ kernel)


def test_fit_and_predict_on_wide_sparse_features_never_densify(keras_imported):
    X, Y = _wide_sparse()
    dense_bytes = X.shape[0] * X.shape[1] * 4
    tracemalloc.start()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MultiLabelMLPClassifier((16,), max_iter=30, random_state=0).fit(X, Y)
        proba = clf.predict_proba(X)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # Copies of the 200k x 16 kernel (13 MB each: initial, best, final weights), 64 MiB
    # chunks of the divergence check and tracing are expected; X alone is 0.45 GiB dense.
    assert peak < dense_bytes / 3, f"peak {peak / 2**20:.0f} MiB"
    assert proba.shape == Y.shape
    assert f1_score(Y, clf.predict(X), average="micro") > 0.75


def test_sparse_features_train_a_custom_model_on_densified_batches():
    X, Y = _wide_sparse(n_rows=200, n_columns=300)
    params = dict(model=small_functional_model, max_iter=15, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        on_sparse = MultiLabelMLPClassifier(**params).fit(X, Y)
        on_dense = MultiLabelMLPClassifier(**params).fit(X.toarray(), Y)
    np.testing.assert_allclose(on_sparse.predict_proba(X), on_dense.predict_proba(X.toarray()),
                               atol=1e-5)


def test_predictions_are_computed_in_bounded_chunks(monkeypatch):
    from skmultimlp._network import _forward as _model

    X, Y = _wide_sparse(n_rows=300, n_columns=500)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MultiLabelMLPClassifier((8,), max_iter=5, random_state=0).fit(X, Y)
    whole = clf.predict_proba(X)
    monkeypatch.setattr(_model, "PREDICT_CHUNK_ROWS", 64)
    np.testing.assert_allclose(clf.predict_proba(X), whole, rtol=1e-6)
    np.testing.assert_allclose(clf.predict_proba(X.toarray()), whole, rtol=1e-6)


def test_large_sparse_batches_are_computed_in_chunks_with_the_same_result(monkeypatch):
    """The validation rows' first layer is computed in chunks (bounded memory), exactly."""
    from skmultimlp._backend import _compile as _backend
    from skmultimlp._network import _bag_dense as _sparse

    X, Y = _wide_sparse(n_rows=400, n_columns=3_000)
    params = dict(hidden_layer_sizes=(8,), max_iter=5, random_state=0, validation_fraction=0.25)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        whole = MultiLabelMLPClassifier(**params).fit(X, Y)
        monkeypatch.setattr(_sparse, "BAG_ROWS_PER_CHUNK", 16)  # 100 validation rows: 7 chunks
        monkeypatch.setattr(_backend, "_CACHE", type(_backend._CACHE)())  # trace again
        chunked = MultiLabelMLPClassifier(**params).fit(X, Y)
    np.testing.assert_allclose(chunked.validation_loss_curve_, whole.validation_loss_curve_, rtol=1e-6)
    np.testing.assert_allclose(chunked.predict_proba(X), whole.predict_proba(X), rtol=1e-6)


@pytest.mark.parametrize("scoring", ["loss", "f1_micro"])
def test_sparse_validation_rows_are_scored_in_chunks_with_the_same_result(monkeypatch, scoring):
    """The validation scores of sparse rows are computed chunk after chunk (bounded memory),
    with the scores of all rows at once."""
    from skmultimlp._backend import _compile as _backend
    from skmultimlp._training import _objective as _loop

    X, Y = _wide_sparse(n_rows=400, n_columns=3_000)
    params = dict(hidden_layer_sizes=(8,), max_iter=5, random_state=0, validation_fraction=0.25,
                  scoring=scoring)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        whole = MultiLabelMLPClassifier(**params).fit(X, Y)
        # 100 validation rows, padded to 128: 8 chunks of 16 rows (at most 24)
        monkeypatch.setattr(_loop, "VALIDATION_ROWS_PER_CHUNK", 24)
        scored, in_row_chunks = [], _loop.in_row_chunks

        def spy(row_scores, x, y):  # records the rows of each traced call of row_scores
            return in_row_chunks(lambda *a: scored.append(a[1].shape[0]) or row_scores(*a), x, y)

        monkeypatch.setattr(_loop, "in_row_chunks", spy)
        monkeypatch.setattr(_backend, "_CACHE", type(_backend._CACHE)())  # trace again
        chunked = MultiLabelMLPClassifier(**params).fit(X, Y)
    assert set(scored) == {16} and len(whole.validation_scores_) == 5
    np.testing.assert_allclose(chunked.validation_loss_curve_, whole.validation_loss_curve_, rtol=1e-6)
    np.testing.assert_allclose(chunked.validation_scores_, whole.validation_scores_, rtol=1e-6)
    np.testing.assert_allclose(chunked.predict_proba(X), whole.predict_proba(X), rtol=1e-6)
