"""Behaviour of MultiLabelMLPClassifier on small data."""

import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone, is_classifier
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import StandardScaler

from skmultimlp import MultiLabelMLPClassifier

from helpers import FAST


@pytest.fixture(scope="module")
def fitted(data):
    X, Y = data
    return MultiLabelMLPClassifier(**FAST).fit(X, Y)


def test_is_a_multilabel_classifier():
    est = MultiLabelMLPClassifier()
    assert is_classifier(est)
    assert est.__sklearn_tags__().classifier_tags.multi_label


def test_import_does_not_load_keras():
    code = "import sys, skmultimlp; print('keras' in sys.modules, 'tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_fitted_attributes(fitted, data):
    X, Y = data
    assert fitted.n_features_in_ == 10
    assert fitted.n_outputs_ == 4
    np.testing.assert_array_equal(fitted.classes_, np.arange(4))
    assert fitted.n_iter_ == len(fitted.loss_curve_) == len(fitted.history_["loss"])
    assert fitted.loss_ == fitted.loss_curve_[-1]
    assert fitted.loss_curve_[-1] < fitted.loss_curve_[0]
    assert fitted.best_loss_ == pytest.approx(min(fitted.loss_curve_))
    np.testing.assert_array_equal(fitted.thresholds_, np.full(4, 0.5))
    assert [c.shape for c in fitted.coefs_] == [(10, 16), (16, 4)]


def test_predictions_are_thresholded_probabilities(fitted, data):
    X, Y = data
    proba = fitted.predict_proba(X)
    assert proba.shape == Y.shape
    assert np.all((proba >= 0) & (proba <= 1))
    np.testing.assert_array_equal(fitted.predict(X), (proba >= 0.5).astype(int))
    np.testing.assert_allclose(fitted.predict_log_proba(X), np.log(proba), rtol=1e-6)
    assert fitted.score(X, Y) > 0.5  # subset accuracy on the training data


def test_fast_predict_matches_keras_model(fitted, data):
    X, _ = data
    expected = fitted.model_.predict(X, verbose=0)
    np.testing.assert_allclose(fitted.predict_proba(X), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(fitted.predict_proba(X[:1]), expected[:1], rtol=1e-5, atol=1e-6)


def test_same_seed_same_model_different_seed_different_model(data):
    X, Y = data
    a = MultiLabelMLPClassifier(**FAST).fit(X, Y).predict_proba(X)
    b = MultiLabelMLPClassifier(**FAST).fit(X, Y).predict_proba(X)
    c = MultiLabelMLPClassifier(**{**FAST, "random_state": 1}).fit(X, Y).predict_proba(X)
    np.testing.assert_array_equal(a, b)
    assert np.abs(a - c).max() > 1e-3


def test_same_seed_same_model_across_processes(fitted, data):
    X, _ = data
    code = (
        "import numpy as np, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from helpers import multilabel_data\n"
        "from skmultimlp import MultiLabelMLPClassifier\n"
        "X, Y = multilabel_data()\n"
        f"p = MultiLabelMLPClassifier(**{FAST!r}).fit(X, Y).predict_proba(X)\n"
        "np.save(sys.stdout.buffer, p)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    import io

    np.testing.assert_array_equal(np.load(io.BytesIO(out.stdout)), fitted.predict_proba(X))


def test_clone_pickle_and_joblib_round_trips(fitted, data, tmp_path):
    import joblib

    X, Y = data
    expected = fitted.predict_proba(X)
    assert clone(fitted).get_params() == fitted.get_params()
    assert not hasattr(clone(fitted), "model_")
    unpickled = pickle.loads(pickle.dumps(fitted))
    joblib.dump(fitted, tmp_path / "model.joblib")
    restored = joblib.load(tmp_path / "model.joblib")
    np.testing.assert_array_equal(unpickled.predict_proba(X), expected)
    np.testing.assert_array_equal(restored.predict_proba(X), expected)
    np.testing.assert_allclose(restored.model_.predict(X, verbose=0), expected, rtol=1e-5, atol=1e-6)


def test_label_sets_give_named_classes():
    X = np.random.default_rng(0).normal(size=(6, 3))
    y = [["cat", "dog"], [], ["dog"], ["cat"], ["dog", "cat"], []]
    est = MultiLabelMLPClassifier(**{**FAST, "max_iter": 5}).fit(X, y)
    np.testing.assert_array_equal(est.classes_, ["cat", "dog"])
    label_sets = est.predict_label_sets(X)
    indicator = est.predict(X)
    assert label_sets == [tuple(est.classes_[row == 1]) for row in indicator]


def test_dataframe_columns_give_named_classes(data):
    pd = pytest.importorskip("pandas")
    X, Y = data
    frame = pd.DataFrame(Y, columns=["a", "b", "c", "d"])
    est = MultiLabelMLPClassifier(**FAST).fit(X, frame)
    np.testing.assert_array_equal(est.classes_, ["a", "b", "c", "d"])
    assert all(set(s) <= {"a", "b", "c", "d"} for s in est.predict_label_sets(X[:5]))


def test_sparse_inputs_match_dense(fitted, data):
    X, Y = data
    est = MultiLabelMLPClassifier(**FAST).fit(sp.csr_matrix(X), sp.csr_matrix(Y))
    np.testing.assert_allclose(est.predict_proba(sp.csr_matrix(X)), fitted.predict_proba(X), atol=1e-6)


def test_binary_and_multiclass_targets():
    X, y = make_classification(150, 6, n_informative=4, n_classes=3, random_state=0)
    labels = np.array(["ant", "bee", "cow"])[y]
    est = MultiLabelMLPClassifier(**FAST).fit(X, labels)
    assert est.out_activation_ == "softmax"
    proba = est.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    np.testing.assert_array_equal(est.predict(X), est.classes_[proba.argmax(axis=1)])
    assert est.score(X, labels) > 0.8

    binary = np.where(y == 0, "no", "yes")
    est = MultiLabelMLPClassifier(**FAST).fit(X, binary)
    proba = est.predict_proba(X)
    assert proba.shape == (150, 2) and est.n_outputs_ == 1
    np.testing.assert_array_equal(est.predict(X), np.where(proba[:, 1] >= 0.5, "yes", "no"))


def test_per_label_thresholds(fitted, data):
    X, Y = data
    thresholds = [0.1, 0.5, 0.9, 0.5]
    est = clone(fitted).set_params(threshold=thresholds).fit(X, Y)
    np.testing.assert_array_equal(est.thresholds_, thresholds)
    np.testing.assert_array_equal(est.predict(X), (est.predict_proba(X) >= thresholds).astype(int))
    with pytest.raises(ValueError, match="threshold has 2 values but the target has 4 labels"):
        clone(fitted).set_params(threshold=[0.1, 0.2]).fit(X, Y)


def test_balanced_class_weight_raises_recall_of_a_rare_label():
    X, Y = make_multilabel_classification(300, 10, n_classes=3, n_labels=1, random_state=3)
    X = StandardScaler().fit_transform(X)
    rare = np.argmin(Y.sum(axis=0))
    assert Y[:, rare].mean() < 0.25
    params = {**FAST, "max_iter": 15}
    plain = MultiLabelMLPClassifier(**params).fit(X, Y).predict(X)[:, rare]
    balanced = MultiLabelMLPClassifier(**params, class_weight="balanced").fit(X, Y).predict(X)[:, rare]
    recall = lambda pred: pred[Y[:, rare] == 1].mean()  # noqa: E731
    assert recall(balanced) > recall(plain)
    assert balanced.sum() > plain.sum()


def test_explicit_class_weights(data):
    X, Y = data
    est = MultiLabelMLPClassifier(**{**FAST, "max_iter": 10})
    heavy = clone(est).set_params(class_weight={0: 20.0}).fit(X, Y).predict_proba(X)[:, 0]
    plain = clone(est).fit(X, Y).predict_proba(X)[:, 0]
    assert heavy.mean() > plain.mean() + 0.05  # positives of label 0 weigh more
    listed = clone(est).set_params(class_weight=[20.0, 1, 1, 1]).fit(X, Y).predict_proba(X)[:, 0]
    np.testing.assert_allclose(listed, heavy, rtol=1e-6)
    with pytest.raises(ValueError, match="class_weight names label 7"):
        clone(est).set_params(class_weight={7: 2.0}).fit(X, Y)
    with pytest.raises(ValueError, match="class_weight has 2 values"):
        clone(est).set_params(class_weight=[1.0, 2.0]).fit(X, Y)


def test_early_stopping_restores_the_best_weights(data, validation_part):
    X, Y = data
    params = dict(hidden_layer_sizes=(64,), learning_rate_init=0.05, max_iter=200,
                  early_stopping=True, n_iter_no_change=3, validation_fraction=0.25, random_state=0)
    est = MultiLabelMLPClassifier(**params).fit(X, Y)
    assert est.n_iter_ < 200
    assert est.best_loss_ is None
    curve = est.validation_loss_curve_
    assert est.best_validation_loss_ == pytest.approx(min(curve))
    assert curve[-1] > min(curve)  # it stopped after the best epoch...
    # ...and the model has the best epoch's weights: recompute the validation loss.
    X_val, Y_val = validation_part(X, Y, 0.25, random_state=0)
    p = np.clip(est.predict_proba(X_val), 1e-7, 1 - 1e-7)
    loss = -np.mean(Y_val * np.log(p) + (1 - Y_val) * np.log(1 - p))
    assert loss == pytest.approx(est.best_validation_loss_, rel=1e-4)


def test_tol_stops_training_like_mlpclassifier(data):
    X, Y = data
    est = MultiLabelMLPClassifier(**{**FAST, "max_iter": 500, "tol": 1e-2, "n_iter_no_change": 2}).fit(X, Y)
    assert est.n_iter_ < 500
    curve = np.array(est.loss_curve_)
    # Each of the last n_iter_no_change + 1 epochs failed to beat the best loss so far
    # by tol, and no earlier run of 3 epochs did.
    stalled = [curve[i] > curve[:i].min() - 1e-2 for i in range(1, len(curve))]
    assert stalled[-3:] == [True, True, True]
    assert not any(all(stalled[i : i + 3]) for i in range(len(stalled) - 3))


def test_warm_start_continues_training(data):
    X, Y = data
    est = MultiLabelMLPClassifier(**{**FAST, "max_iter": 10, "warm_start": True, "tol": 0})
    est.fit(X, Y)
    first = list(est.loss_curve_)
    est.fit(X, Y)
    assert est.loss_curve_[:10] == first and len(est.loss_curve_) == 20
    assert est.loss_curve_[10] < first[0]


def test_dropout_is_seeded(data):
    X, Y = data
    params = {**FAST, "dropout": 0.3}
    a = MultiLabelMLPClassifier(**params).fit(X, Y)
    b = MultiLabelMLPClassifier(**params).fit(X, Y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    c = MultiLabelMLPClassifier(**FAST).fit(X, Y)
    assert np.abs(a.predict_proba(X) - c.predict_proba(X)).max() > 1e-3


def build_two_towers(n_features, n_outputs, output_activation, seed):
    import keras

    inputs = keras.Input((n_features,))
    init = keras.initializers.HeUniform(seed=seed)
    a = keras.layers.Dense(8, activation="relu", kernel_initializer=init)(inputs)
    b = keras.layers.Dense(8, activation="tanh", kernel_initializer=init)(inputs)
    merged = keras.layers.Concatenate()([a, b])
    outputs = keras.layers.Dense(n_outputs, activation=output_activation,
                                 kernel_initializer=init)(merged)
    return keras.Model(inputs, outputs)


def test_custom_model_callable(data):
    X, Y = data
    est = MultiLabelMLPClassifier(model=build_two_towers, max_iter=30, learning_rate_init=0.01,
                                  random_state=0).fit(X, Y)
    assert len(est.model_.layers) == 5
    assert not hasattr(est, "coefs_")
    proba = est.predict_proba(X)
    np.testing.assert_allclose(proba, est.model_.predict(X, verbose=0), rtol=1e-5, atol=1e-6)
    assert est.loss_curve_[-1] < est.loss_curve_[0]
    again = clone(est).fit(X, Y).predict_proba(X)
    np.testing.assert_array_equal(again, proba)


def test_constant_label_column_trains_with_a_warning(data):
    X, Y = data
    Y = Y.copy()
    Y[:, 2] = 0
    with pytest.warns(UserWarning, match="Label.* 2 .*constant"):
        est = MultiLabelMLPClassifier(**FAST).fit(X, Y)
    assert est.predict_proba(X)[:, 2].max() < 0.5


def test_unfitted_use_raises():
    est = MultiLabelMLPClassifier()
    for method in (est.predict, est.predict_proba, est.predict_log_proba, est.predict_label_sets):
        with pytest.raises(NotFittedError):
            method(np.zeros((2, 3)))


def _bad_inputs(X, Y):
    X_nan = X.copy()
    X_nan[3, 2] = np.nan
    X_inf = X.copy()
    X_inf[0, 0] = np.inf
    Y_bad = Y.copy()
    Y_bad[1, 1] = 2
    return [
        (X_nan, Y, "Input X contains NaN"),
        (X_inf, Y, "Input X contains infinity"),
        (X, Y_bad, r"must contain only 0 and 1; found \[2\]"),
        (X[:-1], Y, "inconsistent numbers of samples"),
        (X[:0], Y[:0], "0 sample"),
        (X[:, :3].ravel(), Y, "Expected 2D array, got 1D array"),
    ]


@pytest.mark.parametrize("case", range(6))
def test_bad_fit_input_leaves_fitted_estimator_unchanged(fitted, data, case):
    X, Y = data
    est = pickle.loads(pickle.dumps(fitted))
    before = est.predict_proba(X)
    keys = set(vars(est))
    X_bad, Y_bad, message = _bad_inputs(X, Y)[case]
    with pytest.raises(ValueError, match=message):
        est.fit(X_bad, Y_bad)
    assert set(vars(est)) == keys
    np.testing.assert_array_equal(est.predict_proba(X), before)


def test_bad_parameter_leaves_fitted_estimator_unchanged(fitted, data):
    X, Y = data
    est = pickle.loads(pickle.dumps(fitted))
    est.set_params(activation="swish")
    with pytest.raises(ValueError, match="'activation' parameter.*must be a str among"):
        est.fit(X, Y)
    assert est.n_iter_ == fitted.n_iter_
    est.set_params(activation="relu", dropout=1.5)
    with pytest.raises(ValueError, match="'dropout' parameter"):
        est.fit(X, Y)


def test_feature_count_mismatch_at_predict(fitted, data):
    X, _ = data
    with pytest.raises(ValueError, match="X has 3 features, but MultiLabelMLPClassifier is expecting 10"):
        fitted.predict(X[:, :3])
    with pytest.raises(ValueError, match="Input X contains NaN"):
        fitted.predict_proba(np.full((1, 10), np.nan))


def test_verbose_prints_each_epoch(data, capsys):
    X, Y = data
    MultiLabelMLPClassifier(**{**FAST, "max_iter": 3, "verbose": 1}).fit(X, Y)
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split(",")[0] for line in lines] == ["Iteration 1", "Iteration 2", "Iteration 3"]


def test_quiet_by_default(data, capsys):
    X, Y = data
    est = MultiLabelMLPClassifier(**{**FAST, "max_iter": 3}).fit(X, Y)
    est.predict(X)
    captured = capsys.readouterr()
    assert captured.out == ""
