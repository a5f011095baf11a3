"""Unknown labels (NaN entries of a multi-label target): loss, fit, splitter, tuner, report."""

import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import f1_score, precision_recall_fscore_support, roc_auc_score

from skmultimlp import MultiLabelMLPClassifier, MultiLabelTunedThresholdClassifierCV
from skmultimlp._targets import encode_target
from skmultimlp._unknown import UNKNOWN
from skmultimlp.metrics import known_f1_score, multilabel_report
from skmultimlp.model_selection import MultilabelStratifiedKFold

EPS = 1e-7


def _numpy(value):
    from keras import ops

    return np.asarray(ops.convert_to_numpy(value), dtype=np.float64)


def _bce(Y, P):
    P = np.clip(P.astype(np.float64), EPS, 1 - EPS)
    return -(Y * np.log(P) + (1 - Y) * np.log(1 - P))


@pytest.fixture(scope="module")
def partial():
    """80 samples, 4 labels from linear scores; a third of the entries hidden, row 0 all."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 6)).astype(np.float32)
    Y = (X[:, :4] + 0.3 * rng.normal(size=(80, 4)) > 0).astype(np.float64)
    hidden = rng.random(Y.shape) < 1 / 3
    hidden[0] = True
    return X, Y, np.where(hidden, np.nan, Y)


@pytest.mark.usefixtures("keras_imported")
@pytest.mark.parametrize("name", ["binary_crossentropy", "focal", "asymmetric"])
def test_masked_row_loss_is_the_mean_over_known_entries(name):
    from skmultimlp._training._losses import per_row_loss

    y = np.array([[1, UNKNOWN, 0], [UNKNOWN, UNKNOWN, UNKNOWN], [0, 1, 1]], np.uint8)
    p = np.array([[0.7, 0.2, 0.4], [0.5, 0.9, 0.1], [0.3, 0.8, 0.6]], np.float32)
    ones = np.ones(3, np.float32)
    masked = _numpy(per_row_loss(name, y, p, ones, ones, masked=True))
    # the same rows computed without masking, on the known entries only
    expected = [
        _numpy(per_row_loss(name, y[:1, [0, 2]], p[:1, [0, 2]], ones[:2], ones[:2]))[0],
        0.0,
        _numpy(per_row_loss(name, y[2:], p[2:], ones, ones))[0],
    ]
    np.testing.assert_allclose(masked, expected, rtol=1e-6)
    if name == "binary_crossentropy":
        np.testing.assert_allclose(masked[0], _bce(np.array([1, 0]), p[0, [0, 2]]).mean(), rtol=1e-6)


@pytest.mark.usefixtures("keras_imported")
def test_unknown_entries_have_zero_gradient():
    import keras
    from keras import ops

    from skmultimlp._backend import value_and_grad
    from skmultimlp._training._losses import per_row_loss

    y = np.array([[1, UNKNOWN, 0, UNKNOWN]], np.uint8)
    p = np.array([[0.6, 1e-9, 0.3, 1.0]], np.float32)  # unknown entries at saturated outputs
    ones = np.ones(4, np.float32)

    def f(probabilities):
        return ops.sum(per_row_loss("binary_crossentropy", y, probabilities, ones, ones, masked=True)), ()

    (_, _), grad = value_and_grad(keras.backend.backend())(f, ops.convert_to_tensor(p))
    grad = _numpy(grad)[0]
    assert grad[1] == 0.0 and grad[3] == 0.0
    # the known entries: d/dp of the mean of two cross-entropies
    np.testing.assert_allclose(grad[[0, 2]], [-1 / 0.6 / 2, 1 / 0.7 / 2], rtol=1e-5)


def test_lbfgs_objective_is_the_mean_over_known_entries(partial):
    """Every known entry counts the same (not each row the same), in the fitted loss."""
    X, _, Y = partial
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = MultiLabelMLPClassifier(hidden_layer_sizes=(5,), solver="lbfgs", alpha=0.0,
                                        max_iter=30, random_state=0).fit(X, Y)
    known = ~np.isnan(Y)
    entries = _bce(np.nan_to_num(Y), model.predict_proba(X))
    per_entry = entries[known].mean()
    rows = known.any(axis=1)
    per_row = (np.where(known, entries, 0).sum(1)[rows] / known.sum(1)[rows]).mean()
    assert abs(per_entry - per_row) > 1e-3  # the two normalisations differ on these data
    np.testing.assert_allclose(model.loss_, per_entry, rtol=1e-4)


def test_rows_with_every_label_unknown_weigh_nothing(partial):
    X, _, Y = partial
    rng = np.random.default_rng(1)
    X_more = np.vstack([X, rng.normal(scale=5.0, size=(20, X.shape[1])).astype(np.float32)])
    Y_more = np.vstack([Y, np.full((20, Y.shape[1]), np.nan)])
    kwargs = dict(hidden_layer_sizes=(5,), solver="lbfgs", max_iter=30, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = MultiLabelMLPClassifier(**kwargs).fit(X, Y)
        b = MultiLabelMLPClassifier(**kwargs).fit(X_more, Y_more)
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), atol=1e-5)
    np.testing.assert_allclose(a.loss_, b.loss_, rtol=1e-5)


def test_fit_predicts_every_label_and_learns_from_known_entries(partial):
    X, Y_full, Y = partial
    model = MultiLabelMLPClassifier(hidden_layer_sizes=(16,), max_iter=150, batch_size=80,
                                    learning_rate_init=0.01, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, Y)
    pred = model.predict(X)
    assert pred.shape == Y.shape and set(np.unique(pred)) <= {0, 1}
    assert f1_score(Y_full, pred, average="micro") > 0.85
    # the validation scores are the share of validation rows whose known labels are right
    assert 0 < model.best_validation_score_ <= 1 and np.isfinite(model.best_validation_loss_)
    model.partial_fit(X, Y)  # and one more epoch on partially labelled data


def test_unknown_as_negative_is_not_what_masking_does(partial):
    X, _, Y = partial
    kwargs = dict(hidden_layer_sizes=(5,), solver="lbfgs", max_iter=30, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        masked = MultiLabelMLPClassifier(**kwargs).fit(X, Y).predict_proba(X)
        negative = MultiLabelMLPClassifier(**kwargs).fit(X, np.nan_to_num(Y)).predict_proba(X)
    # filling the gaps with 0 drags every probability down; masking does not
    assert negative.mean() < masked.mean() - 0.05


def test_dataframe_with_pd_na_equals_nan_array(partial):
    pd = pytest.importorskip("pandas")
    X, _, Y = partial
    frame = pd.DataFrame(Y, columns=["a", "b", "c", "d"]).astype("Int64")
    assert frame.isna().to_numpy().sum() == np.isnan(Y).sum()
    kwargs = dict(hidden_layer_sizes=(4,), max_iter=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from_frame = MultiLabelMLPClassifier(**kwargs).fit(X, frame)
        from_array = MultiLabelMLPClassifier(**kwargs).fit(X, Y)
        from_boolean = MultiLabelMLPClassifier(**kwargs).fit(X, frame.astype("boolean"))
    assert list(from_frame.classes_) == ["a", "b", "c", "d"]
    np.testing.assert_array_equal(from_frame.predict_proba(X), from_array.predict_proba(X))
    np.testing.assert_array_equal(from_boolean.predict_proba(X), from_array.predict_proba(X))


def test_a_label_with_no_known_positive_is_reported_constant():
    with pytest.warns(UserWarning, match="Label.*1 are constant"):
        encode_target(np.array([[1, np.nan], [0, 0], [1, np.nan]]))


@pytest.mark.parametrize(
    "y, match",
    [
        (np.array([0.0, 1.0, np.nan, 1.0]), "multi-label targets only"),
        (np.full((4, 3), np.nan), "Every label of y is unknown"),
        (np.array([[0, 1], [2, np.nan]]), r"only 0 and 1; found \[2.0\] \(NaN marks an unknown label\)"),
    ],
)
def test_clear_errors(y, match):
    X = np.zeros((len(y), 2))
    model = MultiLabelMLPClassifier(max_iter=1)
    with pytest.raises(ValueError, match=match):
        model.fit(X, y)
    assert not hasattr(model, "model_")


def test_integer_minus_one_is_not_read_as_unknown():
    """-1/+1 encodings exist: reading -1 as unknown would drop every negative."""
    with pytest.raises(ValueError, match=r"found \[-1\]"):
        encode_target(np.array([[1, -1], [-1, 1]]))


def test_splitter_stratifies_known_positives_only():
    # label 0: 10 known positives among 50 rows, the other 40 rows unknown or negative
    Y = np.zeros((50, 2))
    Y[:10, 0] = 1
    Y[10:30, 0] = np.nan
    Y[::2, 1] = np.nan
    Y[1::4, 1] = 1
    cv = MultilabelStratifiedKFold(n_splits=5)
    test_folds = [test for _, test in cv.split(np.zeros((50, 1)), Y)]
    assert [int(np.nansum(Y[t, 0])) for t in test_folds] == [2] * 5
    np.testing.assert_array_equal(
        np.concatenate(test_folds),
        np.concatenate([t for _, t in cv.split(np.zeros((50, 1)), np.nan_to_num(Y))]),
    )


class _ColumnsAsProba(ClassifierMixin, BaseEstimator):
    """Predicts the first n_labels columns of X as probabilities (fold-independent)."""

    def fit(self, X, y):
        self.n_labels_ = np.shape(y)[1]
        return self

    def predict_proba(self, X):
        return np.asarray(X)[:, : self.n_labels_]


def test_tuner_ignores_unknown_entries():
    rng = np.random.default_rng(0)
    P = rng.random((200, 3))
    Y = (P + rng.normal(scale=0.3, size=P.shape) > 0.6).astype(float)
    # hide half the confident positives: as negatives they would be false positives
    Y_partial = np.where((Y == 1) & (P > 0.7) & (rng.random(P.shape) < 0.5), np.nan, Y)
    Y_partial[:5] = np.nan
    tuner = MultiLabelTunedThresholdClassifierCV(_ColumnsAsProba(), thresholds=19, cv=4).fit(P, Y_partial)
    grid = tuner.cv_results_["thresholds"]
    expected = [known_f1_score(Y_partial, (P >= t).astype(int)) for t in grid]
    np.testing.assert_allclose(tuner.cv_results_["scores"], expected)
    assert tuner.best_threshold_ == grid[np.argmax(expected)]
    negative = MultiLabelTunedThresholdClassifierCV(_ColumnsAsProba(), thresholds=19, cv=4)
    negative.fit(P, np.nan_to_num(Y_partial))
    assert np.abs(negative.cv_results_["scores"] - expected).max() > 0.05
    assert negative.best_threshold_ < tuner.best_threshold_


def test_tuner_fits_the_mlp_on_partially_labelled_data(partial):
    X, _, Y = partial
    mlp = MultiLabelMLPClassifier(hidden_layer_sizes=(4,), max_iter=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tuner = MultiLabelTunedThresholdClassifierCV(mlp, strategy="per_label", cv=2).fit(X, Y)
    assert tuner.predict(X).shape == Y.shape
    np.testing.assert_array_equal(tuner.cv_results_["n_positives"], np.nansum(Y, axis=0))


def test_report_ignores_unknown_entries():
    rng = np.random.default_rng(0)
    y_true = (rng.random((60, 3)) < 0.4).astype(float)
    y_score = np.clip(y_true * 0.5 + rng.random((60, 3)) * 0.6, 0, 1)
    y_pred = (y_score >= 0.5).astype(int)
    y_true[rng.random(y_true.shape) < 0.3] = np.nan
    y_true[7] = np.nan
    known = ~np.isnan(y_true)
    report = multilabel_report(y_true, y_pred, y_score, output_dict=True)
    for j in range(3):
        rows = known[:, j]
        p, r, f, s = precision_recall_fscore_support(y_true[rows, j], y_pred[rows, j], average="binary")
        row = report[str(j)]
        np.testing.assert_allclose([row["precision"], row["recall"], row["f1-score"]], [p, r, f])
        assert row["support"] == y_true[rows, j].sum()
        np.testing.assert_allclose(row["roc-auc"], roc_auc_score(y_true[rows, j], y_score[rows, j]))
    np.testing.assert_allclose(report["micro avg"]["roc-auc"], roc_auc_score(y_true[known], y_score[known]))
    np.testing.assert_allclose(report["micro avg"]["f1-score"],
                               f1_score(y_true[known], y_pred[known]))
    np.testing.assert_allclose(report["hamming loss"], np.mean(y_true[known] != y_pred[known]))
    right = [np.all(y_true[i, known[i]] == y_pred[i, known[i]]) for i in range(60) if known[i].any()]
    np.testing.assert_allclose(report["subset accuracy"], np.mean(right))
    samples = [f1_score(y_true[i, known[i]], y_pred[i, known[i]], zero_division=0)
               for i in range(60) if known[i].any()]
    np.testing.assert_allclose(report["samples avg"]["f1-score"], np.mean(samples))
    n_rows = int(known.any(axis=1).sum())
    assert n_rows < 59  # row 7 and the rows the random mask emptied are not counted
    assert multilabel_report(y_true, y_pred).endswith(f"{n_rows}\n")


def test_report_and_known_f1_with_pd_na():
    pd = pytest.importorskip("pandas")
    y_true = np.array([[1, 0], [0, np.nan], [1, 1], [np.nan, 0]])
    y_pred = np.array([[1, 1], [1, 1], [1, 0], [0, 0]])
    frame = pd.DataFrame(y_true).astype("Int64")
    assert multilabel_report(frame, y_pred, output_dict=True) == multilabel_report(
        y_true, y_pred, output_dict=True
    )
    # known entries: label 0 rows 0-2 (tp 2, fp 1), label 1 rows 0, 2, 3 (fp 1, fn 1)
    np.testing.assert_allclose(known_f1_score(frame, y_pred), 2 * 2 / (2 * 2 + 2 + 1))
    np.testing.assert_allclose(known_f1_score(y_true, y_pred, average=None), [0.8, 0.0])
    full = np.nan_to_num(y_true)
    assert known_f1_score(full, y_pred, average="macro") == f1_score(full, y_pred, average="macro")


def test_auto_thresholds_and_f1_early_stopping_leave_unknown_entries_out(partial, monkeypatch):
    """threshold="auto" and scoring="f1_micro" on a partially labelled target: unknown
    entries are neither positives nor negatives of the validation metric."""
    from skmultimlp import _threshold_search

    X, _, Y_nan = partial
    seen = {}
    tune = _threshold_search.Objective

    def spy(metric, Y, proba, grid, decode):
        seen["Y"], seen["proba"] = Y, proba
        return tune(metric, Y, proba, grid, decode)

    monkeypatch.setattr(_threshold_search, "Objective", spy)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf = MultiLabelMLPClassifier((8,), threshold="auto", scoring="f1_micro", max_iter=30,
                                      validation_fraction=0.3, random_state=0).fit(X, Y_nan)
    assert seen["Y"].dtype == bool and np.isneginf(seen["proba"]).any()  # unknown -> -inf, not 1
    assert np.all(np.isfinite(clf.thresholds_)) and clf.predict(X).shape == Y_nan.shape
    assert 0 < clf.best_validation_score_ <= 1
