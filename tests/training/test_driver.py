"""The training driver (``_training._driver``): the compiled loop against a plain Keras
loop, one compilation shared by folds, output as each epoch ends, Ctrl-C."""

import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from sklearn.datasets import make_multilabel_classification

from skmultimlp import MultiLabelMLPClassifier
from skmultimlp._backend import _compile as _backend
from skmultimlp._backend import contained_import_effects
from skmultimlp._training import _driver as _training
from skmultimlp._random import draw_seeds

from helpers import multilabel_data
from skmultimlp._network import Architecture


@pytest.fixture(scope="module")
def data():
    return multilabel_data(96, 10, n_classes=3, random_state=2)


@pytest.mark.parametrize("solver", ["adam", "sgd", "rmsprop"])
def test_matches_a_plain_keras_loop(data, solver):
    """Same weights, batches (last one partial) and update rule as model.train_on_batch."""
    X, Y = data
    est = MultiLabelMLPClassifier((8,), solver=solver, max_iter=4, batch_size=20, alpha=0.0,
                                  tol=0.0, early_stopping=False, learning_rate_init=0.01, random_state=0).fit(X, Y)

    with contained_import_effects():  # Keras' own fit machinery is not under test
        curve, weights = _plain_keras_loop(X, Y, solver)
    np.testing.assert_allclose(est.loss_curve_, curve, rtol=2e-5)
    for ours, theirs in zip(est.model_.get_weights(), weights):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5)


def _plain_keras_loop(X, Y, solver):
    import keras

    model_seed, shuffle_seed, _ = (int(s) for s in draw_seeds(0))
    model = Architecture(10, 3, "sigmoid", (8,), "relu", 0.0).build(model_seed)
    keras_optimizer = {
        "adam": keras.optimizers.Adam(0.01, epsilon=1e-8),  # MLPClassifier's epsilon
        "sgd": keras.optimizers.SGD(0.01, momentum=0.9, nesterov=True),
        "rmsprop": keras.optimizers.RMSprop(0.01),
    }[solver]
    model.compile(optimizer=keras_optimizer, loss="binary_crossentropy")
    rng = np.random.default_rng(shuffle_seed)
    curve = []
    for _ in range(4):
        order = rng.permutation(96)
        total = 0.0
        for start in range(0, 96, 20):
            batch = order[start : start + 20]
            total += model.train_on_batch(X[batch], Y[batch], return_dict=True)["loss"] * len(batch)
        curve.append(total / 96)
    return curve, model.get_weights()


def test_l2_penalty_is_mlpclassifier_scaled(data):
    """MLPClassifier: sum of the labels' log losses + 0.5 * alpha * ||W||^2, per sample.

    The loss here is Keras' mean over the 3 labels, so the penalty is divided by 3 too:
    the objective is MLPClassifier's over 3, and ``alpha`` has its meaning.
    """
    X, Y = data
    params = dict(hidden_layer_sizes=(8,), max_iter=1, batch_size=96, tol=0.0, early_stopping=False,
                  random_state=0)
    plain = MultiLabelMLPClassifier(**params, alpha=0.0).fit(X, Y)
    alpha = 0.5
    penalised = MultiLabelMLPClassifier(**params, alpha=alpha).fit(X, Y)
    # Same initial weights; the first epoch's loss is taken before the only update.
    model_seed = int(draw_seeds(0)[0])
    kernels = Architecture(10, 3, "sigmoid", (8,), "relu", 0.0).build(model_seed).get_weights()[0::2]
    penalty = 0.5 * alpha * sum(float(np.sum(k.astype(np.float64) ** 2)) for k in kernels) / 96 / 3
    assert penalised.loss_curve_[0] - plain.loss_curve_[0] == pytest.approx(penalty, rel=1e-4)


def test_sample_weight_equals_repetition_in_full_batch_training(data):
    X, Y = data
    params = dict(hidden_layer_sizes=(8,), max_iter=20, batch_size=200, tol=0.0, early_stopping=False,
                  random_state=0)
    weights = np.ones(96)
    weights[:10] = 2
    weighted = MultiLabelMLPClassifier(**params).fit(X, Y, sample_weight=weights)
    repeated = MultiLabelMLPClassifier(**params).fit(np.vstack([X, X[:10]]), np.vstack([Y, Y[:10]]))
    np.testing.assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), rtol=1e-4, atol=1e-6)


def test_folds_of_different_size_share_one_compiled_function(data):
    X, Y = make_multilabel_classification(300, 10, n_classes=3, random_state=0)
    params = dict(hidden_layer_sizes=(7,), max_iter=2, early_stopping=False, random_state=0)
    MultiLabelMLPClassifier(**params).fit(X[:270], Y[:270])
    cached = len(_backend._CACHE)
    for n in (265, 268, 270):  # folds of unequal size, other seeds and learning rates
        MultiLabelMLPClassifier(**{**params, "random_state": n, "learning_rate_init": n / 1e5}).fit(X[:n], Y[:n])
    assert len(_backend._CACHE) == cached
    MultiLabelMLPClassifier(**{**params, "hidden_layer_sizes": (9,)}).fit(X[:270], Y[:270])
    assert len(_backend._CACHE) == min(cached + 1, _backend.MAX_CACHED_FUNCTIONS)


def test_verbose_prints_each_epoch_as_it_ends(data, monkeypatch, capsys):
    """One compiled call per epoch, each line printed after its call, MLPClassifier's format."""
    X, Y = data
    calls, out = [], []
    compile_chunk = _training.cached_compile

    def counting(key, make, **kwargs):
        fn = compile_chunk(key, make, **kwargs)

        def call(*args):
            out.extend(capsys.readouterr().out.splitlines())
            calls.append(len(out))  # lines printed before this call
            return fn(*args)

        return call

    monkeypatch.setattr(_training, "cached_compile", counting)
    params = dict(hidden_layer_sizes=(6,), max_iter=5, early_stopping=True, validation_fraction=0.25,
                  n_iter_no_change=10, random_state=0)
    est = MultiLabelMLPClassifier(verbose=1, **params).fit(X, Y)
    out.extend(capsys.readouterr().out.splitlines())
    assert est.n_iter_ == 5
    assert calls == [0, 2, 4, 6, 8]  # the two lines of each epoch came before the next call
    expected = []
    for loss, val_loss, score in zip(est.loss_curve_, est.validation_loss_curve_, est.validation_scores_):
        expected += [f"Iteration {len(expected) // 2 + 1}, loss = {loss:.8f}, validation loss = {val_loss:.8f}",
                     f"Validation score: {score:f}"]
    assert out == expected
    quiet = MultiLabelMLPClassifier(verbose=0, **params).fit(X, Y)
    assert quiet.loss_curve_ == est.loss_curve_  # chunking does not change the fit
    for a, b in zip(quiet.model_.get_weights(), est.model_.get_weights()):
        np.testing.assert_array_equal(a, b)


# Ctrl-C stops a long fit within about a second, leaving the estimator as it was.
_INTERRUPTED_FIT = """
import signal, sys, time
import numpy as np
from skmultimlp import MultiLabelMLPClassifier
# Ctrl-C as in a terminal: a test run started in the background by a non-interactive
# shell ignores SIGINT, and passes that on to its children.
signal.signal(signal.SIGINT, signal.default_int_handler)
rng = np.random.default_rng(0)
X = rng.normal(size=(40000, 50)).astype(np.float32)
Y = (X[:, :5] > 0).astype(np.uint8)
clf = MultiLabelMLPClassifier((256,), max_iter=100000, early_stopping=False, n_iter_no_change=10**6,
                              verbose=1, random_state=0)
try:
    clf.fit(X, Y)
except KeyboardInterrupt:
    print("interrupted", hasattr(clf, "model_"), flush=True)
    sys.exit(3)
"""


def test_ctrl_c_interrupts_a_long_fit_quickly():
    child = subprocess.Popen([sys.executable, "-c", _INTERRUPTED_FIT], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().startswith("Iteration 1,")  # compiled, training
        time.sleep(1)
        sent = time.perf_counter()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
        latency = time.perf_counter() - sent
    finally:
        child.kill()
    # The child's stderr tail says why, should it ever end otherwise (once, under JAX: SIGABRT).
    assert child.returncode == 3 and out.strip().endswith("interrupted False"), (
        child.returncode, out[-300:], err[-2000:])
    assert latency < 4, f"the fit took {latency:.1f} s to stop after Ctrl-C"
