"""The lazy (row-sparse) first-layer update of ``sparse_update="lazy"`` (``_lazy``)."""

import os
import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning

from skmultimlp import MultiLabelMLPClassifier
from skmultimlp._training._optimizers import OPTIMIZERS, AdamHyper

import helpers

# Fits take the lazy update on TensorFlow and JAX only (PyTorch keeps the dense one).
needs_lazy_fits = pytest.mark.skipif(os.environ.get("KERAS_BACKEND") == "torch",
                                     reason="PyTorch fits take the dense update")
FAST = {**helpers.FAST, "hidden_layer_sizes": (8,), "max_iter": 4, "batch_size": 4, "alpha": 0.5}


def _fit(X, Y, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return MultiLabelMLPClassifier(**{**FAST, **params}).fit(X, Y)


def _sparse_data(n_rows=24, n_columns=40, seed=0):
    rng = np.random.default_rng(seed)
    X = sp.random(n_rows, n_columns, density=0.1, format="csr", random_state=seed, dtype=np.float32)
    X.data[:] = rng.random(X.nnz, dtype=np.float32) + 0.5
    Y = (rng.random((n_rows, 3)) < 0.4).astype(np.uint8)
    return X, Y


def test_touched_columns_count_a_repeated_column_once_and_skip_padding(keras_imported):
    from keras import ops

    from skmultimlp._training._lazy import touched_columns

    indices = np.array([[5, 2, 5], [2, 0, 0], [7, 9, 0]], np.int32)  # row 1: one padding slot
    values = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 0.0], [6.0, 7.0, 0.0]], np.float32)
    weights = np.array([1.0, 1.0, 0.0], np.float32)  # row 2: the zero-weight tail of a batch
    touched = touched_columns(*(ops.convert_to_tensor(a) for a in (indices, values, weights)), 10)
    columns, valid, local = (ops.convert_to_numpy(a) for a in touched)
    assert valid.tolist() == [True] * 3 + [False] * 6
    assert sorted(columns[:3]) == [0, 2, 5]  # column 0 only where its value is not 0
    counted = (values != 0) & (weights[:, None] > 0)
    np.testing.assert_array_equal(columns[local[counted]], indices[counted])
    assert np.all(~valid[local[~counted]])  # padding and zero-weight rows: an unused slot


def _numpy_lazy_adam(kernel, m, v, t, grads_by_column, hyper):
    """TF-Addons' LazyAdam on the rows in ``grads_by_column`` (global step ``t``)."""
    lr = hyper["learning_rate"] * np.sqrt(1 - hyper["beta_2"] ** t) / (1 - hyper["beta_1"] ** t)
    for column, g in grads_by_column.items():
        m[column] = hyper["beta_1"] * m[column] + (1 - hyper["beta_1"]) * g
        v[column] = hyper["beta_2"] * v[column] + (1 - hyper["beta_2"]) * g**2
        kernel[column] -= lr * m[column] / (np.sqrt(v[column]) + hyper["epsilon"])


def test_lazy_update_matches_a_numpy_lazy_adam(keras_imported):
    """Three steps, one of a batch with a repeated column and padding; garbage gradients
    in the unused slots are never written."""
    from keras import ops

    from skmultimlp._training._lazy import gather_first_layer, lazy_update

    rng = np.random.default_rng(0)
    n_columns, units = 12, 3
    kernel, bias = rng.standard_normal((n_columns, units)), rng.standard_normal(units)
    hyper = dict(learning_rate=0.05, beta_1=0.9, beta_2=0.999, epsilon=1e-8)
    batches = [
        (np.array([[3, 3], [7, 0]]), np.array([[1.0, 2.0], [0.5, 0.0]])),  # 3 twice; padding
        (np.array([[0, 11], [4, 3]]), np.array([[2.0, 1.0], [1.0, 1.0]])),
        (np.array([[11, 0], [0, 0]]), np.array([[3.0, 0.0], [0.0, 0.0]])),
    ]
    as_tensor = lambda a: ops.convert_to_tensor(np.asarray(a, np.float32))  # noqa: E731
    params = [as_tensor(kernel), as_tensor(bias)]
    slots = OPTIMIZERS["adam"].init(params)
    step = AdamHyper(*(as_tensor(hyper[name]) for name in AdamHyper._fields))
    expected = [kernel.copy(), np.zeros_like(kernel), np.zeros_like(kernel)]
    expected_bias = [bias[None].copy(), np.zeros((1, units)), np.zeros((1, units))]
    for t, (indices, values) in enumerate(batches, start=1):
        x = (ops.convert_to_tensor(indices.astype(np.int32)), as_tensor(values))
        touched = gather_first_layer(params, x, as_tensor([1, 1]))[2]
        columns, valid = ops.convert_to_numpy(touched.columns), ops.convert_to_numpy(touched.valid)
        block = rng.standard_normal((len(columns), units))  # the gathered rows' gradient
        bias_grad = rng.standard_normal(units)
        params, slots = lazy_update(OPTIMIZERS["adam"], params, [as_tensor(block), as_tensor(bias_grad)],
                                    slots, as_tensor(t), step, touched)
        _numpy_lazy_adam(*expected, t, dict(zip(columns[valid], block[valid])), hyper)
        _numpy_lazy_adam(*expected_bias, t, {0: bias_grad}, hyper)
    got = [params[0], slots.m[0], slots.v[0]]
    for name, value, reference in zip(("kernel", "m", "v"), got, expected):
        np.testing.assert_allclose(ops.convert_to_numpy(value), reference, rtol=2e-5, atol=1e-6,
                                   err_msg=name)
    np.testing.assert_allclose(ops.convert_to_numpy(params[1]), expected_bias[0][0], rtol=2e-5)
    untouched = [c for c in range(n_columns) if c not in (0, 3, 4, 7, 11)]
    np.testing.assert_array_equal(ops.convert_to_numpy(params[0])[untouched],
                                  np.float32(kernel)[untouched])


def _initial_first_kernel(n_features, n_outputs, random_state=0):
    from skmultimlp._network import Architecture
    from skmultimlp._random import draw_seeds

    architecture = Architecture(n_features, n_outputs, "sigmoid", FAST["hidden_layer_sizes"], "relu", 0.0)
    model = architecture.build(draw_seeds(random_state).model)
    return model.get_weights()[0]


@needs_lazy_fits
@pytest.mark.parametrize("solver", ["adam", "sgd", "rmsprop"])
def test_rows_of_unused_columns_stay_bit_identical(solver, keras_imported):
    X, Y = _sparse_data()
    X = sp.hstack([X, sp.csr_matrix((X.shape[0], 2), dtype=np.float32)]).tolil()
    X[5, X.shape[1] - 1] = 1.0  # the last column only in a row of weight 0
    X = X.tocsr()
    weights = np.ones(X.shape[0])
    weights[5] = 0.0
    initial = _initial_first_kernel(X.shape[1], Y.shape[1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        lazy = MultiLabelMLPClassifier(**FAST, solver=solver, sparse_update="lazy").fit(X, Y, weights)
        dense = MultiLabelMLPClassifier(**FAST, solver=solver, sparse_update="dense").fit(X, Y, weights)
    unused = [X.shape[1] - 2, X.shape[1] - 1]
    np.testing.assert_array_equal(lazy.coefs_[0][unused], initial[unused])
    assert np.all(dense.coefs_[0][unused] != initial[unused])  # shrunk by the penalty, moved by Adam
    used = np.unique(X[weights > 0].indices)
    assert np.all(lazy.coefs_[0][used] != initial[used])


@needs_lazy_fits
@pytest.mark.parametrize("n_networks", [1, 2])
def test_lazy_equals_dense_when_every_batch_holds_every_column(n_networks, keras_imported):
    """Then the two updates are the same algorithm: a check of the gathered rows'
    gradient, with repeated columns in a row (CSR duplicates) and ELL padding, for one
    network and for an ensemble (whose members share the first kernel's rows)."""
    rng = np.random.default_rng(1)
    n_rows, n_columns = 12, 5
    cols = [np.r_[np.arange(n_columns), rng.integers(0, n_columns, size=i % 3)] for i in range(n_rows)]
    indptr = np.r_[0, np.cumsum([len(c) for c in cols])]  # CSR with duplicates kept, as given
    X = sp.csr_matrix((rng.random(indptr[-1]) + 0.5, np.concatenate(cols), indptr),
                      shape=(n_rows, n_columns))
    assert not X.has_canonical_format
    Y = (rng.random((n_rows, 2)) < 0.5).astype(np.uint8)
    params = dict(batch_size=n_rows, max_iter=6, n_networks=n_networks)
    lazy = _fit(X, Y, sparse_update="lazy", **params)
    dense = _fit(X, Y, sparse_update="dense", **params)
    for a, b in zip(lazy.coefs_ + lazy.intercepts_, dense.coefs_ + dense.intercepts_):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(lazy.loss_curve_, dense.loss_curve_, rtol=1e-5)


@needs_lazy_fits
def test_dense_inputs_and_the_dense_option_are_unchanged(keras_imported):
    X, Y = _sparse_data()
    dense_X = X.toarray()
    reference = _fit(dense_X, Y, sparse_update="dense")
    for mode in ("lazy", "auto"):  # dense X ignores the option: the same computation, bit for bit
        np.testing.assert_array_equal(_fit(dense_X, Y, sparse_update=mode).predict_proba(dense_X),
                                      reference.predict_proba(dense_X))
    on_sparse = _fit(X, Y, sparse_update="dense")
    np.testing.assert_allclose(on_sparse.predict_proba(X), reference.predict_proba(dense_X), atol=1e-6)
    lazy = _fit(X, Y, sparse_update="lazy")
    assert np.abs(lazy.predict_proba(X) - reference.predict_proba(dense_X)).max() > 1e-4


def test_sparse_update_is_validated_in_one_line():
    X, Y = _sparse_data()
    with pytest.raises(ValueError, match="'sparse_update' parameter .* must be a str among") as info:
        MultiLabelMLPClassifier(sparse_update="sparse").fit(X, Y)
    assert "\n" not in str(info.value)


@needs_lazy_fits
def test_lazy_fits_clone_pickle_and_continue(keras_imported):
    X, Y = _sparse_data()
    est = _fit(X, Y, sparse_update="lazy")
    assert clone(est).get_params()["sparse_update"] == "lazy"
    restored = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(restored.predict_proba(X), est.predict_proba(X))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        restored.partial_fit(X, Y)  # the optimizer state carries over, rows still updated lazily
    moved = np.abs(restored.coefs_[0] - est.coefs_[0]).max(axis=1) > 0
    np.testing.assert_array_equal(moved, np.isin(np.arange(X.shape[1]), X.indices))


@needs_lazy_fits
def test_auto_takes_the_lazy_update_on_wide_sparse_inputs_only(keras_imported):
    from skmultimlp._inputs._csr import AUTO_MIN_RATIO, uses_lazy_update

    X, _ = _sparse_data(n_rows=24, n_columns=40)  # longest row: a few entries
    width = int(X.getnnz(axis=1).max())
    narrow, wide = (sp.csc_array(sp.hstack([X, sp.csr_matrix((24, extra))]))
                    for extra in (0, AUTO_MIN_RATIO * 2 * width))  # CSC arrays: no getnnz
    assert width > 1
    # ratio r = AUTO_MIN_RATIO: 40 <= r * 10 * width, and 40 + 2 r width > r * 2 * width
    assert not uses_lazy_update("auto", narrow, None, batch_size=10)
    assert uses_lazy_update("auto", wide, None, batch_size=2)
    assert not uses_lazy_update("auto", wide, None, batch_size=10)  # more slots a batch
    assert uses_lazy_update("lazy", narrow, None, batch_size=10)
    assert uses_lazy_update("auto", sp.csr_array(wide), None, batch_size=2)
    assert not uses_lazy_update("dense", wide, None, batch_size=2)
    assert not uses_lazy_update("lazy", wide.toarray(), None, batch_size=2)
    assert not uses_lazy_update("lazy", wide, _initial_first_kernel, batch_size=2)  # a custom model
