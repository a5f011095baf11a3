"""The threshold-tuning meta-estimator: tuning, shrinkage, integration (its estimator
checks are in test_common.py)."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone, is_classifier
from sklearn.datasets import make_multilabel_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, make_scorer
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.multioutput import MultiOutputClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmultimlp import MultiLabelMLPClassifier, MultiLabelTunedThresholdClassifierCV
from skmultimlp._thresholds import positive_proba


def _logistic():
    return MultiOutputClassifier(LogisticRegression(solver="liblinear", random_state=0))


@pytest.fixture(scope="module")
def imbalanced():
    """Six labels of 4% to 50% prevalence from noisy linear scores; train/test halves."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 10))
    logits = X @ rng.normal(size=(10, 6)) + rng.normal(scale=2.0, size=(600, 6))
    prevalence = np.array([0.04, 0.06, 0.1, 0.15, 0.3, 0.5])
    Y = (logits > np.quantile(logits, 1 - prevalence, axis=0).diagonal()).astype(int)
    return train_test_split(X, Y, test_size=0.5, random_state=0)


def test_is_classifier_with_multilabel_tag():
    tuned = MultiLabelTunedThresholdClassifierCV(_logistic())
    assert is_classifier(tuned)
    assert tuned.__sklearn_tags__().classifier_tags.multi_label


@pytest.mark.parametrize(
    "scoring, strategy, gain",
    # measured: macro 0.475 -> 0.525 (global), 0.582 (per label); micro 0.694 -> 0.710
    [("f1_macro", "global", 0.03), ("f1_macro", "per_label", 0.08), ("f1_micro", "global", 0.01)],
)
def test_tuned_f1_beats_the_default_threshold_on_held_out_data(imbalanced, scoring, strategy, gain):
    X_train, X_test, Y_train, Y_test = imbalanced
    average = scoring.split("_")[1]
    plain = _logistic().fit(X_train, Y_train)
    untuned = f1_score(Y_test, plain.predict(X_test), average=average, zero_division=0)
    tuned = MultiLabelTunedThresholdClassifierCV(_logistic(), scoring=scoring, strategy=strategy)
    score = f1_score(Y_test, tuned.fit(X_train, Y_train).predict(X_test), average=average, zero_division=0)
    assert score >= untuned + gain, (score, untuned)


def test_global_threshold_maximises_the_oof_curve(imbalanced):
    X_train, _, Y_train, _ = imbalanced
    tuned = MultiLabelTunedThresholdClassifierCV(_logistic(), thresholds=[0.2, 0.3, 0.5]).fit(X_train, Y_train)
    results = tuned.cv_results_
    np.testing.assert_array_equal(results["thresholds"], [0.2, 0.3, 0.5])
    assert results["scores"].shape == (3,)
    assert tuned.best_threshold_ == results["thresholds"][np.argmax(results["scores"])]
    assert tuned.best_score_ == pytest.approx(results["scores"].max())
    np.testing.assert_array_equal(tuned.thresholds_, np.full(Y_train.shape[1], tuned.best_threshold_))


def test_default_grid_is_documented():
    tuned = MultiLabelTunedThresholdClassifierCV(_logistic())
    np.testing.assert_allclose(tuned._grid(), np.arange(1, 50) / 50)


def test_rare_labels_shrink_toward_the_global_threshold(imbalanced):
    X_train, _, Y_train, _ = imbalanced
    kwargs = dict(scoring="f1_macro", strategy="per_label")
    own = MultiLabelTunedThresholdClassifierCV(_logistic(), shrinkage=0.0, **kwargs).fit(X_train, Y_train)
    shrunk = MultiLabelTunedThresholdClassifierCV(_logistic(), shrinkage=20.0, **kwargs).fit(X_train, Y_train)
    results = shrunk.cv_results_
    n_pos = results["n_positives"]
    np.testing.assert_array_equal(own.cv_results_["label_thresholds"], own.thresholds_)
    weight = n_pos / (n_pos + 20.0)
    expected = shrunk.best_threshold_ + weight * (results["label_thresholds"] - shrunk.best_threshold_)
    np.testing.assert_allclose(shrunk.thresholds_, expected)
    distance_own = np.abs(results["label_thresholds"] - shrunk.best_threshold_)
    distance = np.abs(shrunk.thresholds_ - shrunk.best_threshold_)
    assert np.all(distance <= distance_own + 1e-12)
    rare, common = np.argmin(n_pos), np.argmax(n_pos)
    assert weight[rare] < weight[common]
    assert results["label_scores"].shape == (Y_train.shape[1], 49)


def test_label_without_positives_keeps_the_global_threshold():
    X, Y = make_multilabel_classification(n_samples=120, n_classes=4, random_state=0)
    Y[:, 3] = 0
    tuned = MultiLabelTunedThresholdClassifierCV(
        RandomForestClassifier(n_estimators=5, random_state=0), strategy="per_label", cv=3
    ).fit(X, Y)
    assert tuned.thresholds_[3] == tuned.best_threshold_
    assert tuned.predict_proba(X).shape == (120, 4)


@pytest.mark.parametrize("scoring", ["f1_micro", "f1_samples"])
def test_per_label_sweeps_match_direct_scoring(imbalanced, scoring):
    X_train, _, Y_train, _ = imbalanced
    tuned = MultiLabelTunedThresholdClassifierCV(_logistic(), scoring=scoring, strategy="per_label", shrinkage=0.0)
    tuned.fit(X_train, Y_train)
    average = scoring.split("_")[1]
    scorer = make_scorer(f1_score, average=average, zero_division=0)
    by_scorer = clone(tuned).set_params(scoring=scorer).fit(X_train, Y_train)
    np.testing.assert_allclose(by_scorer.cv_results_["label_scores"], tuned.cv_results_["label_scores"])
    np.testing.assert_allclose(by_scorer.thresholds_, tuned.thresholds_)
    assert by_scorer.best_score_ == pytest.approx(tuned.best_score_)
    assert tuned.best_score_ >= tuned.cv_results_["scores"].max() - 1e-12


def test_refit_false_needs_one_split_and_keeps_its_estimator(imbalanced):
    X_train, _, Y_train, _ = imbalanced
    with pytest.raises(ValueError, match="refit cannot be False"):
        MultiLabelTunedThresholdClassifierCV(_logistic(), refit=False).fit(X_train, Y_train)
    split = [(np.arange(100), np.arange(100, 300))]
    tuned = MultiLabelTunedThresholdClassifierCV(_logistic(), cv=split, refit=False).fit(X_train, Y_train)
    reference = _logistic().fit(X_train[:100], Y_train[:100])
    np.testing.assert_allclose(tuned.predict_proba(X_train), positive_proba(
        reference.predict_proba(X_train), reference.classes_, Y_train.shape[1]))


def test_invalid_parameters_and_targets(imbalanced):
    X_train, _, Y_train, _ = imbalanced
    with pytest.raises(ValueError, match="strategy"):
        MultiLabelTunedThresholdClassifierCV(_logistic(), strategy="each").fit(X_train, Y_train)
    with pytest.raises(ValueError, match="thresholds must"):
        MultiLabelTunedThresholdClassifierCV(_logistic(), thresholds=[1.5]).fit(X_train, Y_train)
    with pytest.raises(ValueError, match="Only binary"):
        MultiLabelTunedThresholdClassifierCV(_logistic()).fit(X_train, np.arange(len(X_train)) % 3)


def test_pipeline_gridsearch_clone_pickle(imbalanced):
    X_train, X_test, Y_train, Y_test = imbalanced
    pipe = make_pipeline(StandardScaler(), MultiLabelTunedThresholdClassifierCV(_logistic(), cv=3))
    search = GridSearchCV(
        pipe, {"multilabeltunedthresholdclassifiercv__strategy": ["global", "per_label"]},
        scoring="f1_macro", cv=3,
    ).fit(X_train, Y_train)
    fitted = search.best_estimator_
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.predict(X_test), fitted.predict(X_test))
    assert set(search.cv_results_["param_multilabeltunedthresholdclassifiercv__strategy"]) == {"global", "per_label"}
    unfitted = clone(fitted)
    assert not hasattr(unfitted[-1], "thresholds_")
    assert unfitted.get_params()["multilabeltunedthresholdclassifiercv__cv"] == 3


def test_tunes_the_mlp(imbalanced):
    X_train, X_test, Y_train, Y_test = imbalanced
    mlp = MultiLabelMLPClassifier((8,), max_iter=20, early_stopping=False, random_state=0)
    tuned = MultiLabelTunedThresholdClassifierCV(mlp, cv=3).fit(X_train, Y_train)
    assert tuned.predict_proba(X_test).shape == Y_test.shape
    assert tuned.predict(X_test).shape == Y_test.shape
    assert tuned.n_features_in_ == X_train.shape[1]
    assert 0 < tuned.best_threshold_ < 1
