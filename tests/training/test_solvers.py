"""MLPClassifier's solver knobs: schedules, momentum, n_iter_no_change=inf, validation scores,
partial_fit (out-of-core too), L-BFGS through the estimator."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import f1_score
from sklearn.neural_network import MLPClassifier

from skmultimlp import MultiLabelMLPClassifier

from helpers import FAST, multilabel_data

SGD = {**FAST, "hidden_layer_sizes": (8,), "solver": "sgd", "batch_size": 40}


@pytest.fixture(scope="module")
def data():
    """float64, as scikit-learn's MLPClassifier is given it here."""
    return multilabel_data(120, 6, n_classes=3, dtype=np.float64)


def test_adaptive_schedule_divides_by_five_then_stops_like_mlpclassifier(data):
    """tol=10: every epoch after the first stalls, so the rule fires every 2 epochs."""
    X, Y = data
    rule = dict(learning_rate="adaptive", n_iter_no_change=1, tol=10.0, max_iter=100)
    ours = MultiLabelMLPClassifier(**{**SGD, **rule}).fit(X, Y)
    theirs = MLPClassifier((8,), solver="sgd", learning_rate_init=0.01, random_state=0, **rule).fit(X, Y)
    # 0.01 / 5**6 <= 1e-6: six reductions (epochs 3, 5, ..., 13), then a stop at 15
    assert ours.n_iter_ == theirs.n_iter_ == 15
    constant = MultiLabelMLPClassifier(**{**SGD, **rule, "learning_rate": "constant"}).fit(X, Y)
    assert constant.n_iter_ == 3


def test_invscaling_schedule(data):
    X, Y = data
    params = dict(SGD, max_iter=5, tol=0.0)
    constant = MultiLabelMLPClassifier(**params).fit(X, Y)
    flat = MultiLabelMLPClassifier(**params, learning_rate="invscaling", power_t=0.0).fit(X, Y)
    np.testing.assert_array_equal(flat.loss_curve_, constant.loss_curve_)  # (t + 1) ** 0 == 1
    scaled = MultiLabelMLPClassifier(**params, learning_rate="invscaling", power_t=0.5).fit(X, Y)
    assert scaled.loss_curve_[0] == constant.loss_curve_[0]  # the first epoch uses the initial rate
    assert scaled.loss_curve_[-1] > constant.loss_curve_[-1]  # then it is 0.01 / sqrt(121) and less


def test_schedules_apply_to_sgd_only(data):
    X, Y = data
    params = dict(SGD, solver="adam", max_iter=5, tol=0.0)
    constant = MultiLabelMLPClassifier(**params).fit(X, Y)
    scaled = MultiLabelMLPClassifier(**params, learning_rate="invscaling").fit(X, Y)
    np.testing.assert_array_equal(scaled.loss_curve_, constant.loss_curve_)


def test_momentum_and_nesterov_change_sgd(data):
    X, Y = data
    params = dict(SGD, max_iter=5, tol=0.0)
    curves = {
        (m, n): MultiLabelMLPClassifier(**params, momentum=m, nesterovs_momentum=n).fit(X, Y).loss_curve_
        for m, n in [(0.9, True), (0.9, False), (0.0, True), (0.0, False)]
    }
    assert curves[0.9, True] != curves[0.9, False]
    assert curves[0.0, True] == curves[0.0, False]  # without momentum Nesterov changes nothing
    assert curves[0.0, True] != curves[0.9, True]


def test_n_iter_no_change_inf_runs_max_iter(data):
    X, Y = data
    clf = MultiLabelMLPClassifier(**{**SGD, "max_iter": 4, "tol": 100.0, "n_iter_no_change": np.inf})
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, Y)
    assert clf.n_iter_ == 4


def test_validation_scores_are_subset_accuracy_of_each_epoch(data, validation_part):
    X, Y = data
    clf = MultiLabelMLPClassifier((16,), learning_rate_init=0.02, max_iter=60, n_iter_no_change=5,
                                  validation_fraction=0.25, random_state=0).fit(X, Y)
    scores = clf.validation_scores_
    assert len(scores) == clf.n_iter_ == len(clf.validation_loss_curve_)
    assert clf.best_validation_score_ == max(scores)
    # The restored weights are those of the lowest validation loss: their score is
    # that epoch's entry, recomputed here with `score` on the held-out rows.
    X_val, Y_val = validation_part(X, Y, 0.25, random_state=0)
    best_epoch = int(np.argmin(clf.validation_loss_curve_))
    assert clf.score(X_val, Y_val) == pytest.approx(scores[best_epoch], abs=1e-6)


def test_partial_fit_continues_the_optimizer_and_the_curves(data):
    X, Y = data
    clf = MultiLabelMLPClassifier((8,), solver="sgd", learning_rate_init=0.05, random_state=0)
    for _ in range(3):
        clf.partial_fit(X, Y)
    assert clf.n_iter_ == 1 and len(clf.loss_curve_) == 3
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]
    # Three partial_fit calls are three epochs of fit with the same seed and no shuffle.
    full = MultiLabelMLPClassifier((8,), solver="sgd", learning_rate_init=0.05, random_state=0,
                                   early_stopping=False, max_iter=3, shuffle=False, tol=0).fit(X, Y)
    chunked = MultiLabelMLPClassifier((8,), solver="sgd", learning_rate_init=0.05, random_state=0,
                                      shuffle=False)
    for _ in range(3):
        chunked.partial_fit(X, Y)
    np.testing.assert_allclose(chunked.loss_curve_, full.loss_curve_, rtol=1e-5)
    np.testing.assert_allclose(chunked.predict_proba(X), full.predict_proba(X), rtol=1e-5, atol=1e-7)


def test_chunked_partial_fit_learns_as_well_as_fit(data_dir):
    """Epochs of partial_fit over 4 chunks of emotions reach fit's test F1 (out-of-core use)."""
    from skmultimlp.datasets import load_dataset

    X, Y = load_dataset(data_dir / "emotions" / "emotions-train.arff")[:2]
    X_test, Y_test = load_dataset(data_dir / "emotions" / "emotions-test.arff")[:2]
    mean, std = X.mean(axis=0), X.std(axis=0) + 1e-9
    X, X_test = (X - mean) / std, (X_test - mean) / std
    params = dict(hidden_layer_sizes=(50,), random_state=0, learning_rate_init=1e-3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        full = MultiLabelMLPClassifier(**params, early_stopping=False, max_iter=30).fit(X, Y)
        chunked = MultiLabelMLPClassifier(**params)
        for _ in range(30):
            for rows in np.array_split(np.arange(len(X)), 4):
                chunked.partial_fit(X[rows], Y[rows], classes=np.arange(Y.shape[1]))
    f1_full = f1_score(Y_test, full.predict(X_test), average="micro")
    f1_chunked = f1_score(Y_test, chunked.predict(X_test), average="micro")
    assert f1_full > 0.6
    assert f1_chunked > f1_full - 0.03, (f1_chunked, f1_full)


def test_partial_fit_classes_rules():
    X = np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]])
    clf = MultiLabelMLPClassifier((4,), random_state=0)
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        clf.partial_fit(X, ["a", "b", "a"])
    clf.partial_fit(X, ["a", "b", "a"], classes=["a", "b", "c"])
    assert clf.classes_.tolist() == ["a", "b", "c"]
    clf.partial_fit(X[:1], ["c"])  # a class seen for the first time, declared on the first call
    with pytest.raises(ValueError, match="not in `classes`"):
        clf.partial_fit(X[:1], ["z"])
    with pytest.raises(ValueError, match="not the same as on last call"):
        clf.partial_fit(X, ["a", "b", "a"], classes=["a", "b"])


def test_partial_fit_is_for_stochastic_solvers_only():
    assert all(hasattr(MultiLabelMLPClassifier(solver=s), "partial_fit") for s in ("adam", "sgd", "rmsprop"))
    assert not hasattr(MultiLabelMLPClassifier(solver="lbfgs"), "partial_fit")


def test_lbfgs_solver_through_the_estimator(data):
    X, Y = data
    clf = MultiLabelMLPClassifier((8,), solver="lbfgs", max_iter=300, random_state=0).fit(X, Y)
    assert clf.validation_scores_ is None  # no hold-out
    assert 0 < clf.n_iter_ <= 300 and clf.loss_ == clf.best_loss_
    assert clf.score(X, Y) > 0.5


def test_warm_start_refuses_other_classes():
    X = np.random.default_rng(0).normal(size=(60, 3))
    y = np.repeat([0, 1, 2], 20)
    clf = MultiLabelMLPClassifier((4,), warm_start=True, max_iter=2, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="warm_start can only be used where `y` has the same classes"):
        clf.fit(X, np.repeat([0, 1, 3], 20))


def test_threshold_takes_effect_at_predict_time(data):
    X, Y = data
    clf = MultiLabelMLPClassifier((8,), max_iter=20, early_stopping=False, random_state=0).fit(X, Y)
    proba = clf.predict_proba(X)
    clf.set_params(threshold=0.3)
    np.testing.assert_array_equal(clf.thresholds_, [0.3] * 3)
    np.testing.assert_array_equal(clf.predict(X), (proba >= 0.3).astype(int))
    np.testing.assert_array_equal(clf.predict_proba(X), proba)


def test_balanced_class_weight_does_not_restore_an_untrained_epoch(data_dir):
    """The validation loss that picks the best epoch is not class-weighted.

    medical: 45 labels, most of them rare; with a class-weighted validation loss the
    best epoch was the first to third (F1-micro 0.722 -> 0.601 on its test split).
    """
    from sklearn.preprocessing import MaxAbsScaler

    from skmultimlp.datasets import load_dataset

    X, Y = load_dataset(data_dir / "medical" / "medical.arff")[:2]
    X = MaxAbsScaler().fit_transform(X)
    weighted = MultiLabelMLPClassifier(max_iter=60, class_weight="balanced", random_state=0).fit(X, Y)
    best_epoch = int(np.argmin(weighted.validation_loss_curve_))
    assert best_epoch >= 10, best_epoch


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_losses_train_and_their_parameters_do_not_recompile(data, solver):
    from skmultimlp._backend import _compile as _backend

    X, Y = data
    params = dict(hidden_layer_sizes=(8,), solver=solver, max_iter=20, early_stopping=False,
                  random_state=0)
    curves = {}
    for loss, extra in [("binary_crossentropy", {}), ("focal", {}), ("asymmetric", {})]:
        curves[loss] = MultiLabelMLPClassifier(**params, loss=loss, **extra).fit(X, Y).loss_curve_
    assert curves["focal"][0] < curves["binary_crossentropy"][0]  # easy examples down-weighted
    assert len({tuple(c) for c in curves.values()}) == 3
    compiled = len(_backend._CACHE)
    for gamma in (0.5, 1.0, 3.0):
        MultiLabelMLPClassifier(**params, loss="focal", focal_gamma=gamma).fit(X, Y)
    assert len(_backend._CACHE) == compiled


def test_focal_with_gamma_zero_is_binary_crossentropy(data):
    X, Y = data
    params = dict(hidden_layer_sizes=(8,), max_iter=5, early_stopping=False, random_state=0)
    plain = MultiLabelMLPClassifier(**params).fit(X, Y)
    focal = MultiLabelMLPClassifier(**params, loss="focal", focal_gamma=0.0).fit(X, Y)
    np.testing.assert_allclose(focal.loss_curve_, plain.loss_curve_, rtol=1e-5)


def test_multiclass_target_refuses_a_sigmoid_loss():
    X = np.random.default_rng(0).normal(size=(30, 3))
    with pytest.raises(ValueError, match="categorical cross-entropy"):
        MultiLabelMLPClassifier((4,), loss="focal", max_iter=2).fit(X, np.arange(30) % 3)
