"""threshold="auto": tuned on the early-stopping split; scoring; the stratified split."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.metrics import accuracy_score, f1_score
from sklearn.utils._param_validation import InvalidParameterError

from skmultimlp import MultiLabelMLPClassifier
from skmultimlp import _fit
from skmultimlp._threshold_search import AUTO_GRID

from helpers import FAST

# early stopping on a quarter of the rows, the default learning rate
PARAMS = {**FAST, "max_iter": 200, "learning_rate_init": 3e-3, "early_stopping": True, "validation_fraction": 0.25}


def rare_labels(n, seed=0):
    """Four labels with 10-20% positives and label noise: at 0.5 the network is cautious."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 8))
    Z = X @ rng.normal(size=(8, 4)) + rng.normal(scale=1.5, size=(n, 4))
    return X, (Z > np.quantile(Z, [0.9, 0.9, 0.85, 0.8], axis=0).diagonal()).astype(int)


@pytest.fixture(scope="module")
def data():
    X, Y = rare_labels(400)
    return X[:200], Y[:200], X[200:], Y[200:]


@pytest.fixture(scope="module")
def fitted(data):
    X, Y = data[:2]
    return MultiLabelMLPClassifier(**PARAMS, threshold="auto").fit(X, Y)


def test_auto_thresholds_raise_f1_on_rare_labels(fitted, data):
    X_test, Y_test = data[2:]
    auto = f1_score(Y_test, fitted.predict(X_test), average="micro")
    at_half = f1_score(Y_test, fitted.predict_proba(X_test) >= 0.5, average="micro")
    assert auto >= at_half + 0.05  # measured 0.546 against 0.457
    assert np.all(fitted.thresholds_ < 0.5)  # a cautious network: every cut moves down
    np.testing.assert_array_equal(fitted.predict(X_test),
                                  (fitted.predict_proba(X_test) >= fitted.thresholds_).astype(int))


def test_auto_thresholds_maximise_f1_micro_on_the_validation_split(fitted, data, validation_part):
    X, Y = data[:2]
    X_val, Y_val = validation_part(X, Y, 0.25, random_state=0)
    proba = fitted.predict_proba(X_val)
    best = max(f1_score(Y_val, proba >= t, average="micro") for t in AUTO_GRID)
    assert np.unique(fitted.thresholds_).size == 1  # "auto": one global threshold
    assert f1_score(Y_val, proba >= fitted.thresholds_, average="micro") == pytest.approx(best)


def test_auto_needs_no_extra_fit(data, monkeypatch):
    """One training run, and the same weights as with threshold=0.5: only the cut moves."""
    X, Y = data[:2]
    calls = []
    train = _fit.train
    monkeypatch.setattr(_fit, "train", lambda *a, **k: calls.append(1) or train(*a, **k))
    auto = MultiLabelMLPClassifier(**PARAMS, threshold="auto").fit(X, Y)
    assert len(calls) == 1
    half = MultiLabelMLPClassifier(**PARAMS).fit(X, Y)
    for a, b in zip(auto.coefs_ + auto.intercepts_, half.coefs_ + half.intercepts_):
        np.testing.assert_array_equal(a, b)
    half.set_params(threshold="auto")  # acts at predict time, as any threshold
    np.testing.assert_array_equal(half.thresholds_, auto.thresholds_)
    assert len(calls) == 2


def test_threshold_changes_take_effect_without_refit(fitted):
    est = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(est.thresholds_, fitted.thresholds_)
    est.set_params(threshold=0.5)
    np.testing.assert_array_equal(est.thresholds_, np.full(4, 0.5))
    est.set_params(threshold="auto_per_label")
    per_label = est.thresholds_
    assert np.unique(per_label).size > 1
    # shrunk toward the global threshold: never further from it than the grid allows
    assert np.all(np.abs(per_label - fitted.thresholds_[0]) < 0.5)
    est.set_params(threshold="auto", scoring="f1_macro")  # the metric follows scoring
    assert not np.array_equal(est.thresholds_, fitted.thresholds_)
    est.set_params(threshold="best")
    with pytest.raises(ValueError, match="threshold must be a float, an array or one of"):
        est.thresholds_


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_auto_without_a_validation_split_is_half(data):
    X, Y = data[:2]
    est = MultiLabelMLPClassifier(**{**PARAMS, "max_iter": 5, "early_stopping": False},
                                  threshold="auto").fit(X, Y)
    np.testing.assert_array_equal(est.thresholds_, np.full(4, 0.5))
    X2, y2 = make_classification(120, 6, random_state=0)  # binary: predict stays argmax
    binary = MultiLabelMLPClassifier(**{**PARAMS, "max_iter": 20}, threshold="auto").fit(X2, y2)
    np.testing.assert_array_equal(binary.thresholds_, [0.5])
    np.testing.assert_array_equal(binary.predict(X2), np.argmax(binary.predict_proba(X2), axis=1))


@pytest.mark.parametrize("scoring", ["f1_micro", "f1_macro", "f1_samples", "accuracy"])
def test_scoring_restores_the_best_epoch_by_that_metric(data, validation_part, scoring):
    X, Y = data[:2]
    params = {**PARAMS, "n_iter_no_change": 10, "learning_rate_init": 0.01}
    est = MultiLabelMLPClassifier(**params, scoring=scoring).fit(X, Y)
    scores = est.validation_scores_
    best_epoch = int(np.argmax(scores))
    assert est.best_validation_score_ == max(scores)
    # F1 and accuracy move in steps above tol: the last improvement was the best epoch,
    # and training stopped when n_iter_no_change + 1 epochs had not beaten it
    assert est.n_iter_ == best_epoch + 1 + 10 + 1
    X_val, Y_val = validation_part(X, Y, 0.25, random_state=0)
    predicted = est.predict(X_val)
    if scoring == "accuracy":
        restored = accuracy_score(Y_val, predicted)
    else:
        restored = f1_score(Y_val, predicted, average=scoring[3:], zero_division=0)
    assert restored == pytest.approx(scores[best_epoch], abs=1e-6)
    assert est.best_validation_loss_ == est.validation_loss_curve_[best_epoch]


def test_metric_and_loss_keep_different_epochs(data):
    """The F1-micro of the loss-chosen epoch is below the best F1-micro seen."""
    X, Y = data[:2]
    params = {**PARAMS, "n_iter_no_change": 10, "learning_rate_init": 0.01}
    by_loss = MultiLabelMLPClassifier(**params).fit(X, Y)
    by_f1 = MultiLabelMLPClassifier(**params, scoring="f1_micro").fit(X, Y)
    loss_epoch = int(np.argmin(by_loss.validation_loss_curve_))
    f1_epoch = int(np.argmax(by_f1.validation_scores_))
    assert f1_epoch != loss_epoch
    # the two fits see the same epochs until one of them stops
    n = min(by_loss.n_iter_, by_f1.n_iter_)
    np.testing.assert_array_equal(by_loss.validation_loss_curve_[:n], by_f1.validation_loss_curve_[:n])


def test_parameter_validation(data):
    X, Y = data[:2]
    with pytest.raises(InvalidParameterError, match="'threshold' parameter"):
        MultiLabelMLPClassifier(threshold="best").fit(X, Y)
    for scoring in ("roc_auc", f1_score):
        with pytest.raises(InvalidParameterError, match="'scoring' parameter"):
            MultiLabelMLPClassifier(scoring=scoring).fit(X, Y)
    est = clone(MultiLabelMLPClassifier(**PARAMS, threshold="auto"))
    assert est.get_params()["threshold"] == "auto" and est.get_params()["scoring"] == "loss"


