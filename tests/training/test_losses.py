"""The loss table against keras.losses and a NumPy reference, and the weighting of
positives and negatives."""

import numpy as np
import pytest

from skmultimlp._training._losses import EPSILON, LOSS_OF_OUTPUT, LOSSES, LossParams, per_row_loss

pytestmark = pytest.mark.usefixtures("keras_imported")

BINARY_LOSSES = ["asymmetric", "binary_crossentropy", "focal"]


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
    y_multi[0, :2] = [1.0, 0.0]  # ... on the wrong side of the target
    p[1, :4] = [0.0, 1.0, 0.0, 1.0]
    y_multi[1, :4] = [0.0, 1.0, 1.0, 0.0]  # every (saturated output, target) pair
    y_onehot = np.eye(5, dtype=np.float32)[rng.integers(0, 5, 64)]
    return p, {"binary_crossentropy": y_multi, "categorical_crossentropy": y_onehot}


def _numpy(x):
    from keras import ops

    return ops.convert_to_numpy(x)


def test_every_output_activation_has_a_loss():
    assert set(LOSS_OF_OUTPUT.values()) <= set(LOSSES)


@pytest.mark.parametrize("name", ["binary_crossentropy", "categorical_crossentropy"])
def test_matches_keras_losses(name, targets_and_probabilities):
    p, targets = targets_and_probabilities
    y = targets[name]
    ones = np.ones(5, np.float32)
    ours = _numpy(per_row_loss(name, y.astype(np.uint8), p, ones, ones))
    theirs = _numpy(_keras_reference(name)(y, p))
    assert np.all(np.isfinite(ours))
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 5.0])
@pytest.mark.parametrize("alpha", [None, 0.25, 0.9])
def test_focal_matches_keras(gamma, alpha, targets_and_probabilities):
    import keras

    p, targets = targets_and_probabilities
    y = targets["binary_crossentropy"]
    ones = np.ones(5, np.float32)
    balancing = alpha is not None
    params = LossParams(gamma=gamma, alpha=0.25 if alpha is None else alpha, class_balancing=float(balancing))
    ours = _numpy(per_row_loss("focal", y.astype(np.uint8), p, ones, ones, params))
    theirs = _numpy(
        keras.losses.binary_focal_crossentropy(
            y, p, apply_class_balancing=balancing, alpha=params.alpha, gamma=gamma
        )
    )
    assert np.all(np.isfinite(ours))
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-7)
    # The loss class with reduction=None gives the same rows.
    loss = keras.losses.BinaryFocalCrossentropy(
        apply_class_balancing=balancing, alpha=params.alpha, gamma=gamma, from_logits=False, reduction=None
    )
    np.testing.assert_allclose(ours, _numpy(loss(y, p)), rtol=1e-6, atol=1e-7)


def test_default_params_are_keras_and_the_papers():
    import keras

    focal = keras.losses.BinaryFocalCrossentropy()
    defaults = LossParams()
    assert (defaults.gamma, defaults.alpha) == (focal.gamma, focal.alpha)
    assert bool(defaults.class_balancing) is focal.apply_class_balancing is False
    # Ridnik et al. 2021, the setting recommended in the paper.
    assert (defaults.gamma_neg, defaults.gamma_pos, defaults.clip) == (4.0, 0.0, 0.05)


def _asymmetric_reference(y, p, pos_weight, neg_weight, gamma_pos, gamma_neg, clip):
    """Ridnik et al. 2021's loss in float64, after clipping in the dtype of ``p``.

    Clipping in float32 as the network does matters for saturated outputs: float32's
    ``1 - 1e-7`` is ``1 - 1.19e-7``, and ``log(1 - p)`` there is -15.9, not -16.1.
    """
    y = y.astype(np.float64)
    p = np.clip(p, p.dtype.type(EPSILON), p.dtype.type(1.0 - EPSILON)).astype(np.float64)
    p_m = np.maximum(p - clip, 0.0)
    positives = -y * pos_weight * (1.0 - p) ** gamma_pos * np.log(p)
    negatives = -(1.0 - y) * neg_weight * p_m**gamma_neg * np.log(1.0 - p_m)
    return (positives + negatives).mean(axis=-1)


@pytest.mark.parametrize(
    "gamma_pos, gamma_neg, clip",
    [(0.0, 4.0, 0.05), (1.0, 4.0, 0.05), (0.0, 0.0, 0.2), (0.5, 0.5, 0.0), (2.0, 1.0, 0.5)],
)
def test_asymmetric_matches_numpy_reference(gamma_pos, gamma_neg, clip, targets_and_probabilities):
    p, targets = targets_and_probabilities
    y = targets["binary_crossentropy"]
    pos_weight = np.array([1.0, 2.0, 0.5, 1.0, 3.0], np.float32)
    neg_weight = np.array([1.0, 0.5, 1.0, 2.0, 1.0], np.float32)
    params = LossParams(gamma_pos=gamma_pos, gamma_neg=gamma_neg, clip=clip)
    ours = _numpy(per_row_loss("asymmetric", y.astype(np.uint8), p, pos_weight, neg_weight, params))
    theirs = _asymmetric_reference(y, p, pos_weight, neg_weight, gamma_pos, gamma_neg, clip)
    assert np.all(np.isfinite(ours))
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    "name, params",
    [
        ("asymmetric", LossParams(gamma_pos=0.0, gamma_neg=0.0, clip=0.0)),
        ("focal", LossParams(gamma=0.0)),
    ],
)
def test_without_focusing_equals_binary_crossentropy(name, params, targets_and_probabilities):
    p, targets = targets_and_probabilities
    y = targets["binary_crossentropy"].astype(np.uint8)
    pos_weight = np.array([1.0, 2.0, 0.5, 1.0, 3.0], np.float32)
    neg_weight = np.array([1.0, 0.5, 1.0, 2.0, 1.0], np.float32)
    ours = _numpy(per_row_loss(name, y, p, pos_weight, neg_weight, params))
    bce = _numpy(per_row_loss("binary_crossentropy", y, p, pos_weight, neg_weight))
    np.testing.assert_allclose(ours, bce, rtol=1e-6, atol=0)


@pytest.mark.parametrize("name", BINARY_LOSSES)
def test_positive_and_negative_weights_scale_their_terms(name, targets_and_probabilities):
    p, targets = targets_and_probabilities
    y = targets["binary_crossentropy"]
    ones = np.ones(5, np.float32)
    params = LossParams(gamma_pos=1.0)

    def loss(pos_weight, neg_weight):
        return _numpy(per_row_loss(name, y, p, pos_weight, neg_weight, params))

    pos_only, neg_only = loss(ones, 0 * ones), loss(0 * ones, ones)
    np.testing.assert_allclose(loss(3 * ones, 0.5 * ones), 3 * pos_only + 0.5 * neg_only, rtol=1e-5)
    np.testing.assert_allclose(loss(ones, ones), pos_only + neg_only, rtol=1e-5)


def test_binary_crossentropy_ignores_params(targets_and_probabilities):
    p, targets = targets_and_probabilities
    y = targets["binary_crossentropy"]
    ones = np.ones(5, np.float32)
    default = _numpy(per_row_loss("binary_crossentropy", y, p, ones, ones))
    other = LossParams(gamma=0.3, alpha=0.1, class_balancing=1.0, gamma_pos=3.0, gamma_neg=0.0, clip=0.4)
    np.testing.assert_array_equal(_numpy(per_row_loss("binary_crossentropy", y, p, ones, ones, other)), default)


@pytest.mark.parametrize("name", BINARY_LOSSES)
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
def test_gradients_are_finite_for_saturated_outputs(name, gamma):
    """``x ** 0`` has a NaN gradient at 0 on TensorFlow and JAX: no base may reach 0."""
    import keras
    from keras import ops

    from skmultimlp._backend import value_and_grad

    y = np.array([[1, 0, 1, 0, 1, 0]], np.uint8)
    p = np.array([[0.0, 0.0, 1.0, 1.0, 0.03, 0.5]], np.float32)  # 0.03 < clip: p_m = 0
    params = LossParams(gamma=gamma, gamma_pos=gamma, gamma_neg=gamma, clip=0.05)
    ones = np.ones(6, np.float32)

    def f(probabilities):
        return ops.sum(per_row_loss(name, y, probabilities, ones, ones, params)), ()

    (value, _), grad = value_and_grad(keras.backend.backend())(f, ops.convert_to_tensor(p))
    assert np.isfinite(_numpy(value))
    assert np.all(np.isfinite(_numpy(grad)))


def test_params_are_run_time_values():
    """A grid over gamma reuses one compiled function (one trace) with tensor params."""
    from keras import ops

    from skmultimlp._backend import compile_function

    traces = []
    y = np.array([[1, 0, 1]], np.uint8)
    p = np.array([[0.3, 0.6, 0.9]], np.float32)
    ones = np.ones(3, np.float32)

    def rows(params):
        traces.append(1)
        return per_row_loss("focal", y, p, ones, ones, params)

    compiled = compile_function(rows)
    values = [
        _numpy(compiled(LossParams(*(ops.convert_to_tensor(v, "float32") for v in LossParams(gamma=g)))))
        for g in (0.0, 1.0, 2.0)
    ]
    assert len(traces) == 1
    for g, value in zip((0.0, 1.0, 2.0), values):
        expected = _numpy(per_row_loss("focal", y, p, ones, ones, LossParams(gamma=g)))
        np.testing.assert_allclose(value, expected, rtol=1e-6)
