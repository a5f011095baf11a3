"""The estimator inside scikit-learn's model-selection and composition tools."""

import numpy as np
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.datasets import make_multilabel_classification
from sklearn.metrics import hamming_loss, make_scorer
from sklearn.model_selection import (
    GridSearchCV,
    RandomizedSearchCV,
    RepeatedKFold,
    cross_val_score,
    cross_validate,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skmultimlp import MultiLabelMLPClassifier

from helpers import FAST

SMALL = {**FAST, "max_iter": 30, "early_stopping": True}


@pytest.fixture(scope="module")
def data():
    """Unscaled: the pipelines scale them."""
    return make_multilabel_classification(150, 8, n_classes=3, n_labels=2, random_state=0)


def test_pipeline_with_scaler(data):
    X, Y = data
    pipe = make_pipeline(StandardScaler(), MultiLabelMLPClassifier(**SMALL)).fit(X, Y)
    expected = MultiLabelMLPClassifier(**SMALL).fit(StandardScaler().fit_transform(X), Y)
    np.testing.assert_array_equal(pipe.predict_proba(X), expected.predict_proba(StandardScaler().fit_transform(X)))
    assert pipe.score(X, Y) > 0.5


def test_column_transformer_on_a_dataframe(data):
    pd = pytest.importorskip("pandas")
    X, Y = data
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(8)])
    frame["colour"] = np.array(["red", "green", "blue"])[np.arange(150) % 3]
    pre = ColumnTransformer([("num", StandardScaler(), [f"x{i}" for i in range(8)]),
                             ("cat", OneHotEncoder(), ["colour"])])
    pipe = make_pipeline(pre, MultiLabelMLPClassifier(**SMALL)).fit(frame, Y)
    assert pipe[-1].n_features_in_ == 11
    assert pipe.predict(frame).shape == Y.shape
    # Feature names reach the estimator when it is fitted on the frame directly.
    est = MultiLabelMLPClassifier(**SMALL).fit(frame.drop(columns="colour"), Y)
    np.testing.assert_array_equal(est.feature_names_in_, [f"x{i}" for i in range(8)])


def test_cross_val_score_with_repeated_kfold(data):
    X, Y = data
    pipe = make_pipeline(StandardScaler(), MultiLabelMLPClassifier(**SMALL))
    cv = RepeatedKFold(n_splits=3, n_repeats=2, random_state=1)
    scores = cross_val_score(pipe, X, Y, cv=cv, scoring="accuracy")
    assert scores.shape == (6,)
    assert 0.3 < scores.mean() <= 1.0
    again = cross_val_score(pipe, X, Y, cv=cv, scoring="accuracy")
    np.testing.assert_array_equal(scores, again)


def test_cross_validate_with_multilabel_scorers(data):
    X, Y = data
    scoring = {
        name: name
        for name in ("f1_micro", "f1_macro", "f1_samples", "jaccard_samples", "roc_auc", "average_precision")
    }
    scoring["hamming"] = make_scorer(hamming_loss, greater_is_better=False)
    pipe = make_pipeline(StandardScaler(), MultiLabelMLPClassifier(**SMALL))
    result = cross_validate(pipe, X, Y, cv=RepeatedKFold(n_splits=3, n_repeats=1, random_state=0),
                            scoring=scoring)
    for name in scoring:
        values = result[f"test_{name}"]
        assert np.all(np.isfinite(values)), name
    assert result["test_roc_auc"].mean() > 0.75
    assert result["test_average_precision"].mean() > 0.7
    assert result["test_f1_micro"].mean() > 0.6
    assert -0.35 < result["test_hamming"].mean() < 0


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_grid_search(data, n_jobs):
    X, Y = data
    pipe = make_pipeline(StandardScaler(), MultiLabelMLPClassifier(**SMALL))
    grid = {"multilabelmlpclassifier__hidden_layer_sizes": [(4,), (32,)],
            "multilabelmlpclassifier__alpha": [1e-4, 1e-2]}
    search = GridSearchCV(pipe, grid, cv=3, scoring="f1_micro", n_jobs=n_jobs).fit(X, Y)
    assert len(search.cv_results_["params"]) == 4
    assert search.best_params_["multilabelmlpclassifier__hidden_layer_sizes"] == (32,)
    assert search.best_estimator_.predict(X).shape == Y.shape


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_randomized_search(data, n_jobs):
    from scipy.stats import loguniform

    X, Y = data
    search = RandomizedSearchCV(
        MultiLabelMLPClassifier(**SMALL),
        {"learning_rate_init": loguniform(1e-3, 3e-2), "dropout": [0.0, 0.2]},
        n_iter=3, cv=2, scoring="f1_samples", random_state=0, n_jobs=n_jobs,
    ).fit(StandardScaler().fit_transform(X), Y)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert search.best_score_ > 0.5


def test_parallel_results_equal_sequential(data):
    X, Y = data
    pipe = make_pipeline(StandardScaler(), MultiLabelMLPClassifier(**SMALL))
    sequential = cross_val_score(pipe, X, Y, cv=3, scoring="f1_micro", n_jobs=1)
    parallel = cross_val_score(pipe, X, Y, cv=3, scoring="f1_micro", n_jobs=2)
    np.testing.assert_array_equal(sequential, parallel)
