"""Saving and loading a fitted estimator: skops, pickle, custom models, Lambda layers, backends."""

import copy
import importlib.util
import json
import os
import pickle
import subprocess
import sys
import textwrap
from functools import partial
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_multilabel_classification

from skmultimlp import MultiLabelMLPClassifier
from skmultimlp._persistence import StoredArchitecture, UnsafeModelError, importable

import helpers
from helpers import small_functional_model as dense_model  # importable by name

REPO_ROOT = Path(__file__).resolve().parent.parent

FAST = {**helpers.FAST, "hidden_layer_sizes": (8,), "max_iter": 20, "learning_rate_init": 3e-3}  # default rate
ESTIMATOR_TYPE = "skmultimlp._estimator.MultiLabelMLPClassifier"
ARCHITECTURE_TYPE = "skmultimlp._persistence.StoredArchitecture"
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def data():
    X, Y = make_multilabel_classification(60, 5, n_classes=3, random_state=0)
    names = np.array(["cat", "dog", "bird"])
    return X.astype(np.float32), [tuple(names[np.flatnonzero(row)]) for row in Y]


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    return MultiLabelMLPClassifier(**FAST, threshold=[0.3, 0.5, 0.7]).fit(X, y)


@pytest.fixture
def sio():
    return pytest.importorskip("skops.io")


def doubled(x):
    """A named function for a ``Lambda`` layer."""
    return x * 2.0


def lambda_model(function):
    """A ``model`` callable whose network has ``Lambda(function)``."""

    def build(n_features, n_outputs, output_activation, seed):
        import keras

        inputs = keras.Input((n_features,))
        hidden = keras.layers.Lambda(function)(inputs)
        outputs = keras.layers.Dense(n_outputs, activation=output_activation,
                                     kernel_initializer=keras.initializers.GlorotUniform(seed))(hidden)
        return keras.Model(inputs, outputs)

    return build


@pytest.mark.parametrize("model", [None, dense_model], ids=["mlp", "custom"])
@pytest.mark.parametrize("dump", ["pickle", "joblib", "deepcopy"])
def test_pickling_leaves_the_estimator_unchanged(data, tmp_path, model, dump):
    import joblib

    X, y = data
    params = {k: v for k, v in FAST.items() if not (model and k == "hidden_layer_sizes")}
    clf = MultiLabelMLPClassifier(**params, model=model).fit(X, y)
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


def test_skops_round_trip_lists_only_our_estimator(sio, fitted, data, tmp_path):
    X, _ = data
    path = tmp_path / "clf.skops"
    sio.dump(fitted, path)
    assert sio.get_untrusted_types(file=path) == [ESTIMATOR_TYPE]
    loaded = sio.load(path, trusted=[ESTIMATOR_TYPE])
    np.testing.assert_array_equal(loaded.predict_proba(X), fitted.predict_proba(X))
    np.testing.assert_array_equal(loaded.thresholds_, [0.3, 0.5, 0.7])
    np.testing.assert_array_equal(loaded.classes_, fitted.classes_)
    assert loaded.predict_label_sets(X[:5]) == fitted.predict_label_sets(X[:5])
    assert loaded.get_params() == fitted.get_params()
    np.testing.assert_array_equal(loaded.model_.predict(X, verbose=0), fitted.model_.predict(X, verbose=0))


def test_custom_model_that_cannot_be_imported_is_saved_as_its_architecture(sio, data, tmp_path):
    X, y = data
    clf = MultiLabelMLPClassifier(**FAST, model=lambda **kw: dense_model(**kw)).fit(X, y)
    path = tmp_path / "clf.skops"
    sio.dump(clf, path)
    assert callable(clf.model) and not isinstance(clf.model, StoredArchitecture)  # left alone
    assert sorted(sio.get_untrusted_types(file=path)) == [ESTIMATOR_TYPE, ARCHITECTURE_TYPE]
    loaded = sio.load(path, trusted=[ESTIMATOR_TYPE, ARCHITECTURE_TYPE])
    assert isinstance(loaded.model, StoredArchitecture)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    # The stored architecture retrains; one seed gives one set of initial weights.
    refit = clone(loaded).fit(X, y)
    np.testing.assert_array_equal(refit.predict_proba(X), clone(loaded).fit(X, y).predict_proba(X))
    with pytest.raises(ValueError, match="n_features=5"):
        clone(loaded).fit(X[:, :4], y)
    # In memory (deepcopy) the original function is kept.
    assert copy.deepcopy(clf).model is clf.model
    assert isinstance(pickle.loads(pickle.dumps(clf)).model, StoredArchitecture)


def test_custom_model_that_can_be_imported_is_saved_by_name(sio, data, tmp_path):
    X, y = data
    clf = MultiLabelMLPClassifier(**FAST, model=dense_model).fit(X, y)
    loaded = pickle.loads(pickle.dumps(clf))
    assert loaded.model is dense_model
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    sio.dump(clf, tmp_path / "clf.skops")
    untrusted = sio.get_untrusted_types(file=tmp_path / "clf.skops")
    assert untrusted == sorted([ESTIMATOR_TYPE, f"{dense_model.__module__}.small_functional_model"])


def test_python_lambda_in_the_network_is_refused(sio, data, tmp_path):
    X, y = data
    clf = MultiLabelMLPClassifier(**FAST, model=lambda_model(lambda x: x * 2.0)).fit(X, y)
    sio.dump(clf, tmp_path / "clf.skops")
    with pytest.raises(UnsafeModelError, match="Python lambda"):
        sio.load(tmp_path / "clf.skops", trusted=[ESTIMATOR_TYPE, ARCHITECTURE_TYPE])
    with pytest.raises(UnsafeModelError, match="register_keras_serializable"):
        pickle.loads(pickle.dumps(clf))


def test_lambda_layer_of_a_named_function_loads_in_its_scope(keras_imported, data):
    X, y = data
    clf = MultiLabelMLPClassifier(**FAST, model=lambda_model(doubled)).fit(X, y)
    with keras_imported.saving.CustomObjectScope({"doubled": doubled}):
        loaded = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def test_importable():
    assert importable(dense_model) and importable(partial(dense_model, seed=0))
    assert importable(StoredArchitecture("{}", 1, 1, "sigmoid"))
    assert not importable(lambda: None)
    assert not importable(lambda_model(doubled))  # a nested function
    assert not importable(partial(lambda_model(doubled), seed=0))


def test_stored_architecture_reseeds_every_initializer(keras_imported, fitted):
    architecture = StoredArchitecture(fitted.model_.to_json(), 5, 3, "sigmoid")
    a, b, c = (architecture(n_features=5, n_outputs=3, output_activation="sigmoid", seed=s)
               for s in (1, 1, 2))
    for wa, wb, wc in zip(a.get_weights()[::2], b.get_weights()[::2], c.get_weights()[::2]):
        np.testing.assert_array_equal(wa, wb)
        assert not np.array_equal(wa, wc)
    assert json.loads(architecture.config_json) == json.loads(fitted.model_.to_json())  # unchanged


SCRIPT = """
import sys

import joblib
import keras
import numpy as np
import skops.io as sio
from sklearn.datasets import make_multilabel_classification

from skmultimlp import MultiLabelMLPClassifier


def build(n_features, n_outputs, output_activation, seed):
    inputs = keras.Input((n_features,))
    hidden = keras.layers.Dense(6, activation="relu",
                                kernel_initializer=keras.initializers.GlorotUniform(seed))(inputs)
    return keras.Model(inputs, keras.layers.Dense(n_outputs, activation=output_activation)(hidden))


X, Y = make_multilabel_classification(60, 5, n_classes=3, random_state=0)
fast = dict(hidden_layer_sizes=(8,), max_iter=20, early_stopping=False, random_state=0)
for name, clf in [("mlp", MultiLabelMLPClassifier(**fast, threshold=0.4)),
                  ("custom", MultiLabelMLPClassifier(**fast, model=build))]:
    clf.fit(X, Y)
    sio.dump(clf, f"{name}.skops")
    joblib.dump(clf, f"{name}.joblib")
    np.save(f"{name}.npy", clf.predict_proba(X))
np.save("X.npy", X)
"""

LOAD = """
import joblib
import numpy as np
import skops.io as sio

X = np.load("X.npy")
for name in ("mlp", "custom"):
    untrusted = sio.get_untrusted_types(file=f"{name}.skops")
    assert all(t.startswith("skmultimlp.") for t in untrusted), untrusted
    for clf in (sio.load(f"{name}.skops", trusted=untrusted), joblib.load(f"{name}.joblib")):
        np.save(f"{name}-loaded.npy", clf.predict_proba(X))
        assert list(clf.thresholds_) == [0.4 if name == "mlp" else 0.5] * 3
"""


@pytest.mark.parametrize("load_backend", ["same", "other"])
def test_script_model_loads_in_another_process_and_backend(sio, tmp_path, load_backend):
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    if load_backend == "other":
        backend = "jax" if backend == "tensorflow" else "tensorflow"
        if importlib.util.find_spec(backend) is None:
            pytest.skip(f"{backend} is not installed")
    (tmp_path / "script.py").write_text(SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    subprocess.run([sys.executable, "script.py"], cwd=tmp_path, env=env, check=True, capture_output=True)
    (tmp_path / "script.py").unlink()  # the loading process cannot find build()
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(LOAD)], cwd=tmp_path,
                            env={**env, "KERAS_BACKEND": backend}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    for name in ("mlp", "custom"):
        saved, loaded = np.load(tmp_path / f"{name}.npy"), np.load(tmp_path / f"{name}-loaded.npy")
        if name == "mlp" or load_backend == "same":
            np.testing.assert_array_equal(loaded, saved)  # the built-in MLP predicts in NumPy
        else:  # another backend's float32 kernels
            np.testing.assert_allclose(loaded, saved, rtol=1e-5, atol=1e-6)


SAVED_BEFORE_THE_LAYOUT = REPO_ROOT / "tests" / "data"


def _saved_rows():
    """The rows whose probabilities were stored with the files (written by the code of
    commit 2d8effa, before the package moved into subpackages)."""
    X, _ = make_multilabel_classification(n_samples=60, n_features=5, n_classes=3, random_state=0)
    return (X.astype(np.float32) / X.max())[:5]


@pytest.mark.skipif(int(np.__version__.split(".")[0]) < 2,
                    reason="written with NumPy 2, whose pickled arrays NumPy 1 cannot read")
def test_a_pickle_written_before_the_layout_change_loads():
    with open(SAVED_BEFORE_THE_LAYOUT / "saved_2d8effa.pkl", "rb") as f:
        loaded = pickle.load(f)
    expected = np.load(SAVED_BEFORE_THE_LAYOUT / "saved_2d8effa_proba.npy")
    np.testing.assert_allclose(loaded.predict_proba(_saved_rows()), expected, rtol=1e-6)
    assert loaded.predict(_saved_rows()).shape == (5, 3)


def test_a_skops_file_written_before_the_layout_change_loads(sio):
    path = SAVED_BEFORE_THE_LAYOUT / "saved_2d8effa.skops"
    assert sio.get_untrusted_types(file=path) == [ESTIMATOR_TYPE]
    loaded = sio.load(path, trusted=[ESTIMATOR_TYPE])
    expected = np.load(SAVED_BEFORE_THE_LAYOUT / "saved_2d8effa_proba.npy")
    np.testing.assert_allclose(loaded.predict_proba(_saved_rows()), expected, rtol=1e-6)
