"""Regression tests of defects found by hostile testing (issue 11), one per numbered case."""

import copy
import pickle

import numpy as np
import pytest
from sklearn.datasets import make_multilabel_classification
from sklearn.preprocessing import StandardScaler

from skmultimlp import MultiLabelMLPClassifier

from helpers import small_functional_model

FAST = dict(hidden_layer_sizes=(8,), max_iter=20, batch_size=32, learning_rate_init=0.01, tol=1.0,
            early_stopping=False, random_state=0)
CUSTOM = {k: v for k, v in FAST.items() if k != "hidden_layer_sizes"}  # the builder decides


@pytest.fixture(scope="module")
def data():
    X, Y = make_multilabel_classification(120, 6, n_classes=3, n_labels=2, random_state=0)
    return StandardScaler().fit_transform(X), Y


# 1. Pickling a fitted estimator must not change it.
@pytest.mark.parametrize("model", [None, small_functional_model], ids=["mlp", "custom"])
@pytest.mark.parametrize("dump", ["pickle", "joblib", "deepcopy"])
def test_pickling_leaves_the_estimator_unchanged(data, tmp_path, model, dump):
    import joblib

    X, Y = data
    clf = MultiLabelMLPClassifier(**(CUSTOM if model else FAST), model=model).fit(X, Y)
    expected = clf.predict_proba(X)
    keys = set(vars(clf))
    if dump == "pickle":
        copied = pickle.loads(pickle.dumps(clf))
    elif dump == "joblib":
        joblib.dump(clf, tmp_path / "clf.joblib")
        copied = joblib.load(tmp_path / "clf.joblib")
    else:
        copied = copy.deepcopy(clf)
    assert set(vars(clf)) == keys and hasattr(clf, "model_")
    np.testing.assert_array_equal(clf.predict_proba(X), expected)
    np.testing.assert_array_equal(copied.predict_proba(X), expected)


# 2. A fit leaves other threads' changes to NumPy's generator and the environment alone.
def test_fit_keeps_global_state_changed_by_another_thread_meanwhile(data, keras_imported):
    import os
    import threading

    X, Y = data
    saved_rng = np.random.get_state()

    def other_thread():
        np.random.seed(123)
        os.environ["SKMULTIMLP_TEST_OTHER_THREAD"] = "1"

    def builder_that_lets_another_thread_run(**kwargs):
        thread = threading.Thread(target=other_thread)  # runs while the fit is under way
        thread.start()
        thread.join()
        return small_functional_model(**kwargs)

    try:
        MultiLabelMLPClassifier(**{**CUSTOM, "max_iter": 2}, model=builder_that_lets_another_thread_run).fit(X, Y)
        assert os.environ.get("SKMULTIMLP_TEST_OTHER_THREAD") == "1"
        assert np.array_equal(np.random.get_state()[1], np.random.RandomState(123).get_state()[1])
    finally:
        os.environ.pop("SKMULTIMLP_TEST_OTHER_THREAD", None)
        np.random.set_state(saved_rng)


def test_two_threads_fitting_at_once_match_one_after_the_other(data, keras_imported):
    from concurrent.futures import ThreadPoolExecutor

    X, Y = data
    settings = [{**FAST, "random_state": 1}, {**FAST, "hidden_layer_sizes": (5,), "random_state": 2}]
    sequential = [MultiLabelMLPClassifier(**p).fit(X, Y).predict_proba(X) for p in settings]
    with ThreadPoolExecutor(2) as pool:
        parallel = list(pool.map(lambda p: MultiLabelMLPClassifier(**p).fit(X, Y).predict_proba(X), settings))
    for ours, theirs in zip(parallel, sequential):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)


# 3. Negative or all-zero sample weights are refused.
# 4. Divergence is an error, even when clipping keeps the loss finite.
@pytest.mark.parametrize("params, scale", [
    (dict(learning_rate_init=100.0), 1.0),
    (dict(), 1e30),
], ids=["learning_rate_100", "X_times_1e30"])
def test_divergence_is_a_clear_error(data, params, scale):
    X, Y = data
    clf = MultiLabelMLPClassifier(**{**FAST, "max_iter": 30, **params})  # watches all 120 rows
    with pytest.raises(ValueError, match="Training diverged.*learning_rate_init.*scale X"):
        clf.fit(X * scale, Y)
    assert not hasattr(clf, "model_")


def linear_output_model(n_features, n_outputs, output_activation, seed):
    import keras

    inputs = keras.Input((n_features,))
    outputs = keras.layers.Dense(n_outputs, kernel_initializer=keras.initializers.GlorotUniform(seed))(inputs)
    return keras.Model(inputs, outputs)


def softmax_output_model(n_features, n_outputs, output_activation, seed):
    import keras

    inputs = keras.Input((n_features,))
    outputs = keras.layers.Dense(n_outputs, activation="softmax",
                                 kernel_initializer=keras.initializers.GlorotUniform(seed))(inputs)
    return keras.Model(inputs, outputs)


# 5. and 8. The custom-model contract speaks: errors and warnings that say the fix.
def test_custom_model_without_probabilities_is_refused(data):
    X, Y = data
    with pytest.raises(ValueError, match="not probabilities.*output_activation"):
        MultiLabelMLPClassifier(**CUSTOM, model=linear_output_model).fit(X, Y)


def test_softmax_custom_model_on_a_multilabel_target_is_refused(data):
    X, Y = data
    with pytest.raises(ValueError, match="sum to 1.*multi-label.*sigmoid"):
        MultiLabelMLPClassifier(**CUSTOM, model=softmax_output_model).fit(X, Y)


def test_tutorial_style_builder_gets_the_required_signature(data):
    def get_model(n_inputs, n_outputs):
        return small_functional_model(n_inputs, n_outputs, "sigmoid", 0)

    X, Y = data
    with pytest.raises(TypeError, match="n_features, n_outputs, output_activation, seed.*get_model"):
        MultiLabelMLPClassifier(**CUSTOM, model=get_model).fit(X, Y)


def test_architecture_parameters_ignored_by_a_custom_model_warn(data):
    X, Y = data
    clf = MultiLabelMLPClassifier(**{**FAST, "hidden_layer_sizes": (100,)}, dropout=0.2,
                                  model=small_functional_model)
    with pytest.warns(UserWarning, match="hidden_layer_sizes, dropout are not used"):
        clf.fit(X, Y)


def test_compiled_custom_model_warns_that_its_loss_is_replaced(data):
    def compiled_model(**kwargs):
        model = small_functional_model(**kwargs)
        model.compile(optimizer="sgd", loss="mse")
        return model

    X, Y = data
    with pytest.warns(UserWarning, match="compiled model; its loss and optimizer are not used"):
        MultiLabelMLPClassifier(**CUSTOM, model=compiled_model).fit(X, Y)


def test_builder_ignoring_seed_warns_that_random_state_cannot_help(data):
    def unseeded_model(n_features, n_outputs, output_activation, seed):
        import keras

        inputs = keras.Input((n_features,))
        outputs = keras.layers.Dense(n_outputs, activation=output_activation)(inputs)
        return keras.Model(inputs, outputs)

    import random

    X, Y = data
    state = random.getstate()  # Keras draws unseeded initializers' seeds from `random`
    try:
        with pytest.warns(UserWarning, match="does not seed its initializers"):
            MultiLabelMLPClassifier(**CUSTOM, model=unseeded_model).fit(X, Y)
    finally:
        random.setstate(state)


# 6. Label collections are recognised by type: tuples and sets are label sets, and so
# are lists unless they are the rows of a 0/1 matrix (scikit-learn's list-of-lists
# indicator, as its check_classifiers_multilabel_representation_invariance requires).
# 7. Nullable pandas columns are accepted; missing labels are unknown (issue 13).
# 12. Ctrl-C stops a long fit within about a second, leaving the estimator as it was.
_INTERRUPTED_FIT = """
import sys, time
import numpy as np
from skmultimlp import MultiLabelMLPClassifier
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
    import signal
    import subprocess
    import sys
    import time

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


def test_a_missing_backend_package_is_one_clear_line():
    import importlib.util
    import os
    import subprocess
    import sys

    if importlib.util.find_spec("torch") is not None:
        pytest.skip("torch is installed: KERAS_BACKEND=torch works here")
    code = ("import numpy as np; from skmultimlp import MultiLabelMLPClassifier as C; "
            "C(max_iter=1).fit(np.eye(4), np.eye(4)[:, :2])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "KERAS_BACKEND": "torch"})
    assert out.returncode == 1
    assert out.stderr.strip().splitlines()[-1].startswith(
        "ImportError: KERAS_BACKEND='torch' needs the 'torch' package, which is not installed")
