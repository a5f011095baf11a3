"""The loss table against keras.losses, and the weighting of positives and negatives."""

import numpy as np
import pytest

from skmultimlp._losses import LOSS_OF_OUTPUT, LOSSES, per_row_loss

pytestmark = pytest.mark.usefixtures("keras_imported")


def _keras_reference(name):
    import keras

    return {
        "binary_crossentropy": keras.losses.binary_crossentropy,
        "categorical_crossentropy": keras.losses.categorical_crossentropy,
    }[name]


@pytest.fixture(scope="module")
def targets_and_probabilities():
    rng = np.random.default_rng(0)
    p = rng.uniform(0.001, 1.0, size=(64, 5)).astype(np.float32)
    p[0, :2] = [0.0, 1.0]  # saturated outputs are clipped, not infinite
    y_multi = (rng.uniform(size=(64, 5)) < 0.4).astype(np.float32)
    y_onehot = np.eye(5, dtype=np.float32)[rng.integers(0, 5, 64)]
    return p, {"binary_crossentropy": y_multi, "categorical_crossentropy": y_onehot}


def test_every_output_activation_has_a_loss():
    assert set(LOSS_OF_OUTPUT.values()) <= set(LOSSES)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_matches_keras_losses(name, targets_and_probabilities):
    from keras import ops

    p, targets = targets_and_probabilities
    y = targets[name]
    ones = np.ones(5, np.float32)
    ours = ops.convert_to_numpy(per_row_loss(name, y.astype(np.uint8), p, ones, ones))
    theirs = ops.convert_to_numpy(_keras_reference(name)(y, p))
    assert np.all(np.isfinite(ours))
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-7)


def test_positive_and_negative_weights_scale_their_terms(targets_and_probabilities):
    from keras import ops

    p, targets = targets_and_probabilities
    y = targets["binary_crossentropy"]
    ones = np.ones(5, np.float32)
    pos_only = ops.convert_to_numpy(per_row_loss("binary_crossentropy", y, p, ones, 0 * ones))
    neg_only = ops.convert_to_numpy(per_row_loss("binary_crossentropy", y, p, 0 * ones, ones))
    weighted = ops.convert_to_numpy(per_row_loss("binary_crossentropy", y, p, 3 * ones, 0.5 * ones))
    np.testing.assert_allclose(weighted, 3 * pos_only + 0.5 * neg_only, rtol=1e-5)
    unweighted = ops.convert_to_numpy(per_row_loss("binary_crossentropy", y, p, ones, ones))
    np.testing.assert_allclose(unweighted, pos_only + neg_only, rtol=1e-5)
