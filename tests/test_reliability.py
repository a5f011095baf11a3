"""Regression tests of defects found by hostile testing (issue 11), one per numbered case."""

import copy
import pickle

import numpy as np
import pytest
from sklearn.datasets import make_multilabel_classification
from sklearn.preprocessing import StandardScaler

from skmultimlp import MultiLabelMLPClassifier

FAST = dict(hidden_layer_sizes=(8,), max_iter=20, batch_size=32, learning_rate_init=0.01, tol=1.0,
            early_stopping=False, random_state=0)


@pytest.fixture(scope="module")
def data():
    X, Y = make_multilabel_classification(120, 6, n_classes=3, n_labels=2, random_state=0)
    return StandardScaler().fit_transform(X), Y


def small_functional_model(n_features, n_outputs, output_activation, seed):
    import keras

    inputs = keras.Input((n_features,))
    hidden = keras.layers.Dense(6, activation="relu",
                                kernel_initializer=keras.initializers.GlorotUniform(seed))(inputs)
    outputs = keras.layers.Dense(n_outputs, activation=output_activation,
                                 kernel_initializer=keras.initializers.GlorotUniform(seed + 1))(hidden)
    return keras.Model(inputs, outputs)


# 1. Pickling a fitted estimator must not change it.
@pytest.mark.parametrize("model", [None, small_functional_model], ids=["mlp", "custom"])
@pytest.mark.parametrize("dump", ["pickle", "joblib", "deepcopy"])
def test_pickling_leaves_the_estimator_unchanged(data, tmp_path, model, dump):
    import joblib

    X, Y = data
    clf = MultiLabelMLPClassifier(**FAST, model=model).fit(X, Y)
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
        MultiLabelMLPClassifier(**{**FAST, "max_iter": 2}, model=builder_that_lets_another_thread_run).fit(X, Y)
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
