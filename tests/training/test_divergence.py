"""Whether a fit diverged (``_training._divergence``): a clear error, even when clipping
keeps the loss finite; a network that is merely undertrained is not diverged."""

import numpy as np
import pytest

from skmultimlp import MultiLabelMLPClassifier
from skmultimlp._network import Architecture, forward_numpy
from skmultimlp._training import TrainingData, Validation
from skmultimlp._training._divergence import MIN_DIVERGENCE_ROWS, check_not_diverged, watched_fit

from helpers import FAST, multilabel_data

MESSAGE = "Training diverged.*learning_rate_init.*scale X"


@pytest.fixture(scope="module")
def data():
    """120 rows: the divergence check watches all of them."""
    return multilabel_data(120, 6, n_classes=3, dtype=np.float64)


@pytest.mark.parametrize("params, scale", [
    (dict(learning_rate_init=100.0), 1.0),
    (dict(), 1e30),
], ids=["learning_rate_100", "X_times_1e30"])
def test_divergence_is_a_clear_error(data, params, scale):
    X, Y = data
    clf = MultiLabelMLPClassifier(**{**FAST, "hidden_layer_sizes": (8,), "max_iter": 30, "tol": 1.0, **params})
    with pytest.raises(ValueError, match=MESSAGE):
        clf.fit(X * scale, Y)
    assert not hasattr(clf, "model_")


def _never_called():
    raise AssertionError("the initial loss is computed only when the fit looks bad")


def test_a_fit_within_twice_the_uninformative_loss_is_not_diverged():
    check_not_diverged((1.3, 0.7, 0.5, True, 100), _never_called, "training", 0.01)


@pytest.mark.parametrize("final, initial, diverged", [
    ((2.0, 0.69, 0.0, True, 100), 1.0, True),  # worse than the initial weights
    ((2.0, 0.69, 0.0, True, 100), 3.0, False),  # bad, but better than at the start
    ((2.0, 0.69, 0.2, True, 100), 2.1, True),  # saturated and stuck: less than 10% progress
    ((2.0, 0.69, 0.2, True, 100), 2.5, False),  # saturated, but 20% better than at the start
    ((9.0, 0.69, 0.5, True, MIN_DIVERGENCE_ROWS - 1), 1.0, False),  # too few rows to tell
    ((0.5, 0.69, 0.0, False, 100), 1.0, True),  # outputs or weights not finite
])
def test_diverged_is_worse_than_at_the_start_or_stuck_saturated_or_not_finite(final, initial, diverged):
    if diverged:
        with pytest.raises(ValueError, match=MESSAGE) as info:
            check_not_diverged(final, lambda: initial, "validation", 0.5)
        assert "on the validation data" in str(info.value) and "(now 0.5)" in str(info.value)
        assert ("or not finite" in str(info.value)) == (not final[3])
    else:
        check_not_diverged(final, lambda: initial, "validation", 0.5)


def test_watched_fit_is_the_cross_entropy_of_the_watched_rows(keras_imported):
    X, Y = multilabel_data(40, 5, n_classes=3)
    W = np.linspace(0.5, 1.5, 40).astype(np.float32)
    model = Architecture(5, 3, "sigmoid", (4,), "relu", 0.0).build(0)
    weights = model.get_weights()
    p = np.clip(forward_numpy(X.astype(np.float64), weights[0::2], weights[1::2], "relu", "logistic"),
                1e-7, 1 - 1e-7)
    entries = -(Y * np.log(p) + (1 - Y) * np.log(1 - p))

    loss, reference, wrong, finite, rows = watched_fit(model, TrainingData(X, Y.astype(np.uint8), W, None),
                                                       "sigmoid")
    assert loss == pytest.approx(entries.mean(axis=1) @ W / W.sum(), rel=1e-5)
    assert reference == pytest.approx(np.log(2)) and wrong == 0.0 and finite and rows == 40
    # with a validation split, the held-out rows are the ones watched
    held_out = Validation(X[:10], Y[:10].astype(np.uint8), W[:10])
    loss, _, _, _, rows = watched_fit(model, TrainingData(X, Y.astype(np.uint8), W, held_out), "sigmoid")
    assert rows == 10
    assert loss == pytest.approx(entries[:10].mean(axis=1) @ W[:10] / W[:10].sum(), rel=1e-5)
