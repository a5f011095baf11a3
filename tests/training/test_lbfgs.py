"""The L-BFGS solver: its objective, MLPClassifier's path, sample weights, limits."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from skmultimlp import _training
from skmultimlp._backend import precision as _precision
from skmultimlp._training._lbfgs import model_in_dtype, pack, train_lbfgs, unpack
from skmultimlp._network import Architecture, forward_numpy

from helpers import multilabel_data

N_LABELS = 3


@pytest.fixture(scope="module")
def problem():
    X, Y = multilabel_data(60, 5, n_classes=N_LABELS, random_state=2)
    return X, Y.astype(np.uint8)


def _fit(X, Y, w=None, *, alpha=1.0, tol=1e-6, max_iter=1000, max_fun=15000, dtype="float64",
         hidden=(4,), activation="tanh", validation=None, dropout=0.0):
    """A model built from seed 0 and trained by ``train_lbfgs``; returns (model, initial weights, history)."""
    arch = Architecture(X.shape[1], Y.shape[1], "sigmoid", hidden, activation, dropout)
    model = arch.build(0)
    initial = model.get_weights()
    spec = _training.ModelSpec(arch.key(model), lambda: arch.build(0), "sigmoid", "lbfgs")
    w = np.ones(len(X), np.float32) if w is None else np.asarray(w, np.float32)
    data = _training.TrainingData(X, Y, w, validation)
    settings = _training.Settings(
        batch_size=len(X), max_iter=max_iter, shuffle=False, shuffle_seed=0,
        alpha=alpha, tol=tol, n_iter_no_change=10, pos_weight=np.ones(Y.shape[1]),
        neg_weight=np.ones(Y.shape[1]),
    )
    return model, initial, train_lbfgs(model, spec, data, settings, max_fun, dtype)


def _objective(weights, X, Y, w, alpha):
    """The stochastic solvers' objective, in NumPy float64 (tanh hidden layers)."""
    weights = [np.asarray(a, np.float64) for a in weights]
    p = np.clip(forward_numpy(X.astype(np.float64), weights[0::2], weights[1::2], "tanh", "logistic"),
                1e-7, 1 - 1e-7)
    rows = -(Y * np.log(p) + (1 - Y) * np.log(1 - p)).mean(axis=1)
    penalty = sum(np.sum(k**2) for k in weights[0::2])
    return (rows @ w + 0.5 * alpha * penalty / Y.shape[1]) / w.sum()


def test_loss_decreases_and_is_the_objective_at_the_weights(keras_imported, problem):
    X, Y = problem
    w = np.linspace(0.5, 2.0, len(X))
    model, initial, history = _fit(X, Y, w)
    losses = history.loss
    assert history.stopped and len(losses) == history.n_iter > 5
    assert np.all(np.diff(losses) <= 1e-12)
    assert losses[0] < _objective(initial, X, Y, w, 1.0)
    assert history.best_loss == pytest.approx(losses[-1], rel=1e-12)
    # The model holds the float32-rounded weights: their objective agrees to that precision.
    assert _objective(model.get_weights(), X, Y, w, 1.0) == pytest.approx(history.best_loss, rel=1e-6)


@pytest.mark.parametrize("activation", ["tanh", "logistic"])  # smooth: relu's kinks make
# the path depend on round-off
def test_same_path_as_mlpclassifier_lbfgs(keras_imported, problem, activation):
    """Started from the same weights, MLPClassifier's lbfgs takes the same steps.

    Its objective sums the labels' losses: it is ours times ``N_LABELS``, and SciPy is
    given that, so the stopping tests are the same for the same ``tol``.
    """
    X, Y = problem
    model, initial, history = _fit(X, Y, activation=activation)
    theirs = MLPClassifier((4,), activation=activation, solver="lbfgs", alpha=1.0, tol=1e-6,
                           max_iter=1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        theirs.fit(X.astype(np.float64), Y)
    theirs.coefs_ = [a.astype(np.float64) for a in initial[0::2]]
    theirs.intercepts_ = [a.astype(np.float64) for a in initial[1::2]]
    theirs.set_params(warm_start=True, max_iter=1000).fit(X.astype(np.float64), Y)

    # Round-off differs (TensorFlow's XLA agrees with NumPy to 1e-16 here, JAX's to
    # about 1e-9), so the last few iterations, where progress is tiny, may differ.
    assert history.stopped
    assert history.best_loss == pytest.approx(theirs.loss_ / N_LABELS, rel=1e-7)
    ours = model.get_weights()
    proba = forward_numpy(X, ours[0::2], ours[1::2], activation, "logistic")
    np.testing.assert_allclose(proba, theirs.predict_proba(X), atol=1e-3)


def test_weight_k_equals_k_repeats(keras_imported, problem):
    X, Y = problem
    k = np.arange(len(X)) % 3  # 0, 1 or 2: dropped, once, twice
    repeated = np.repeat(np.arange(len(X)), k)
    with warnings.catch_warnings():  # not converged in 30 iterations: still the same path
        warnings.simplefilter("ignore", ConvergenceWarning)
        weighted, _, h1 = _fit(X, Y, k, max_iter=30, alpha=1e-3)
        repeats, _, h2 = _fit(X[repeated], Y[repeated], max_iter=30, alpha=1e-3)
    np.testing.assert_allclose(h1.loss, h2.loss, rtol=1e-10)
    for a, b in zip(weighted.get_weights(), repeats.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-9)


def test_max_iter_and_max_fun_stop_with_a_convergence_warning(keras_imported, problem):
    X, Y = problem
    # SciPy's status, in scikit-learn's message (whose wording changed after 1.6).
    with pytest.warns(ConvergenceWarning, match="ITERATIONS REACHED LIMIT"):
        _, _, history = _fit(X, Y, max_iter=3, alpha=1e-4)
    assert history.n_iter == len(history.loss) == 3 and not history.stopped

    with pytest.warns(ConvergenceWarning, match="EVALUATIONS EXCEEDS LIMIT"):
        _, _, history = _fit(X, Y, max_fun=10, alpha=1e-4)
    assert history.n_fun <= 10 + 20  # SciPy finishes the line search it is in
    assert history.n_iter <= 10 and not history.stopped


def test_converged_fit_does_not_warn(keras_imported, problem):
    X, Y = problem
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        _, _, history = _fit(X, Y, tol=1e-2)
    assert history.stopped and history.n_iter < 50


def test_float32_objective_runs_and_validation_data_are_ignored(keras_imported, problem):
    X, Y = problem
    validation = (X[:5], Y[:5], np.ones(5, np.float32))
    model, _, history = _fit(X, Y, tol=1e-3, dtype="float32", validation=validation)
    _, _, reference = _fit(X, Y, tol=1e-3)
    assert history.best_loss == pytest.approx(reference.best_loss, rel=1e-3)
    assert "val_loss" not in history and model.get_weights()[0].dtype == np.float32


def test_pack_unpack_round_trip_and_float64_model(keras_imported):
    arrays = [np.arange(6.0).reshape(2, 3), np.arange(3.0), np.ones((3, 1))]
    flat = pack(arrays)
    assert flat.dtype == np.float64 and flat.shape == (12,)
    for a, b in zip(unpack(flat, [a.shape for a in arrays], "float32"), arrays):
        np.testing.assert_array_equal(a, b)
        assert a.dtype == np.float32
    model = Architecture(4, 2, "sigmoid", (3,), "relu", 0.2).build(0)
    with _precision("float64"):  # JAX makes float64 arrays only under jax.enable_x64
        twin = model_in_dtype(model, "float64")
    assert [v.dtype for v in twin.trainable_variables] == ["float64"] * 4
    assert [v.shape for v in twin.trainable_variables] == [v.shape for v in model.trainable_variables]
    assert model_in_dtype(model, "float32") is model


def test_dropout_is_refused(keras_imported, problem):
    X, Y = problem
    with pytest.raises(ValueError, match="deterministic"):
        _fit(X, Y, hidden=(4,), dropout=0.2)
