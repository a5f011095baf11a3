"""Loss functions: a table from name to an element-wise loss, as sklearn's ``LOSS_FUNCTIONS``.

Each entry maps probabilities to one loss value per (sample, output) with the
weights of positive and negative targets applied; ``reduce`` says how a row's
values become the row's loss (Keras' convention: binary cross-entropy is the mean
over the labels, categorical cross-entropy the sum over the classes).

Why not ``keras.ops.binary_crossentropy``: on TensorFlow it inspects the graph and,
when the probabilities come from a ``Sigmoid`` op, silently switches to the logits
formula, so the same fit would train differently under TensorFlow and JAX. The
formulas here are Keras' probability formulas (clip to ``[EPSILON, 1 - EPSILON]``,
then log), the same on every backend; ``tests/training/test_losses.py`` checks them against
``keras.losses`` (and the asymmetric loss against a NumPy reference).

The hyper-parameters of the focal and asymmetric losses are a ``LossParams`` of
run-time values (tensors inside the compiled loop), not part of a compile-cache key:
a grid over ``gamma`` reuses one compiled function.
"""

from typing import Any, Callable, NamedTuple

EPSILON = 1e-7  # Keras' fuzz factor


class LossParams(NamedTuple):
    """Run-time hyper-parameters of the losses; each loss reads only its own fields.

    Defaults: focal as ``keras.losses.BinaryFocalCrossentropy`` (Lin et al. 2017:
    ``gamma=2``, ``alpha=0.25`` used only with class balancing, which is off);
    asymmetric as recommended by Ridnik et al. 2021 (``gamma_neg=4``, ``gamma_pos=0``,
    probability margin ``clip=0.05``).
    """

    gamma: Any = 2.0  # focal: focusing parameter, >= 0
    alpha: Any = 0.25  # focal: weight of positives (negatives: 1 - alpha) when balancing
    class_balancing: Any = 0.0  # focal: 1.0 applies ``alpha``, 0.0 does not (Keras' default)
    gamma_pos: Any = 0.0  # asymmetric: focusing of positive targets, >= 0
    gamma_neg: Any = 4.0  # asymmetric: focusing of negative targets, >= 0
    clip: Any = 0.05  # asymmetric: probability margin subtracted for negatives, in [0, 1)


def _no_parameters(estimator_params):
    return {}


class Loss(NamedTuple):
    # (y, probabilities, pos_weight, neg_weight, params) -> (n, n_outputs)
    elementwise: Callable
    reduce: str  # "mean" or "sum" over a row's outputs
    output: str  # the output activation it trains: "sigmoid" (the estimator's ``loss``) or "softmax"
    # estimator parameters -> the ``LossParams`` fields it reads
    parameters: Callable = _no_parameters


def _focal_parameters(estimator_params):
    alpha = estimator_params["focal_alpha"]
    return dict(gamma=estimator_params["focal_gamma"], alpha=0.25 if alpha is None else alpha,
                class_balancing=float(alpha is not None))


def _asymmetric_parameters(estimator_params):
    return dict(gamma_pos=estimator_params["asymmetric_gamma_pos"],
                gamma_neg=estimator_params["asymmetric_gamma_neg"], clip=estimator_params["asymmetric_clip"])


def binary_crossentropy(y, probabilities, pos_weight, neg_weight, params):
    """Weighted binary cross-entropy of each output (independent sigmoids)."""
    from keras import ops

    p = ops.clip(probabilities, EPSILON, 1.0 - EPSILON)
    return -(y * pos_weight * ops.log(p) + (1.0 - y) * neg_weight * ops.log(1.0 - p))


def categorical_crossentropy(y, probabilities, pos_weight, neg_weight, params):
    """Weighted categorical cross-entropy terms of a softmax output (one-hot ``y``).

    ``neg_weight`` is not used: only the true class contributes.
    """
    from keras import ops

    p = probabilities / ops.sum(probabilities, axis=-1, keepdims=True)
    p = ops.clip(p, EPSILON, 1.0 - EPSILON)
    return -(y * pos_weight * ops.log(p))


def focal_crossentropy(y, probabilities, pos_weight, neg_weight, params):
    """Weighted binary focal cross-entropy (Lin et al. 2017), Keras' probability formula.

    ``(1 - p_t) ** gamma`` times the binary cross-entropy, with ``p_t = y p + (1 - y)(1 - p)``;
    with class balancing, positives are also weighted by ``alpha`` and negatives by
    ``1 - alpha``. One difference from ``keras.losses.binary_focal_crossentropy``: ``p_t``
    is computed from the clipped probability (Keras uses the unclipped one), so that
    ``1 - p_t > 0`` and the gradient of the power stays finite for saturated outputs and
    ``gamma < 1`` (it is NaN at 0 for ``gamma = 0`` on TensorFlow and JAX). The values
    differ only for outputs outside ``[EPSILON, 1 - EPSILON]``, by at most a relative
    ``gamma * EPSILON``.
    """
    from keras import ops

    p = ops.clip(probabilities, EPSILON, 1.0 - EPSILON)
    p_t = y * p + (1.0 - y) * (1.0 - p)
    focal = ops.power(1.0 - p_t, params.gamma)
    balancing = params.class_balancing > 0.5
    pos_weight = pos_weight * ops.where(balancing, params.alpha, 1.0)
    neg_weight = neg_weight * ops.where(balancing, 1.0 - params.alpha, 1.0)
    bce = -(y * pos_weight * ops.log(p) + (1.0 - y) * neg_weight * ops.log(1.0 - p))
    return focal * bce


def asymmetric(y, probabilities, pos_weight, neg_weight, params):
    """Weighted asymmetric loss (ASL, Ridnik et al. 2021) of each output.

    Positives: ``-(1 - p) ** gamma_pos * log(p)``; negatives, with the shifted probability
    ``p_m = max(p - clip, 0)``: ``-p_m ** gamma_neg * log(1 - p_m)``, where ``p`` is clipped
    to ``[EPSILON, 1 - EPSILON]`` as in binary cross-entropy. With ``gamma_pos = gamma_neg
    = clip = 0`` it is the binary cross-entropy. The focusing weights are differentiated
    (the paper's loss; its code can detach them). The base of ``p_m ** gamma_neg`` is
    floored at ``EPSILON``, which changes no value (the negative term is ``0 * log(1) = 0``
    where ``p_m = 0``) but keeps the gradient finite for ``gamma_neg < 1``.
    """
    from keras import ops

    p = ops.clip(probabilities, EPSILON, 1.0 - EPSILON)
    p_m = ops.maximum(p - params.clip, 0.0)
    pos_focus = ops.power(1.0 - p, params.gamma_pos)
    neg_focus = ops.power(ops.maximum(p_m, EPSILON), params.gamma_neg)
    positives = y * pos_weight * pos_focus * ops.log(p)
    negatives = (1.0 - y) * neg_weight * neg_focus * ops.log(1.0 - p_m)
    return -(positives + negatives)


LOSSES = {
    "binary_crossentropy": Loss(binary_crossentropy, "mean", "sigmoid"),
    "categorical_crossentropy": Loss(categorical_crossentropy, "sum", "softmax"),
    "focal": Loss(focal_crossentropy, "mean", "sigmoid", _focal_parameters),
    "asymmetric": Loss(asymmetric, "mean", "sigmoid", _asymmetric_parameters),
}
# The estimator's ``loss`` choices (a softmax output always trains with categorical).
SIGMOID_LOSSES = tuple(name for name, loss in LOSSES.items() if loss.output == "sigmoid")


def loss_params_of(name, estimator_params):
    """The ``LossParams`` of loss ``name`` from the estimator's parameters (a mapping);
    fields the loss does not read keep their defaults."""
    return LossParams(**LOSSES[name].parameters(estimator_params))

# The loss each output layer is trained with by default.
LOSS_OF_OUTPUT = {"sigmoid": "binary_crossentropy", "softmax": "categorical_crossentropy"}


def per_row_loss(name, y, probabilities, pos_weight, neg_weight, params=None, masked=False):
    """Loss of each row: the table entry's element-wise loss, reduced over the outputs.

    ``params`` is a ``LossParams`` (of floats or scalar tensors); ``None`` means its
    defaults. Its fields take the dtype of the probabilities.

    ``masked`` (static: the targets have unknown entries, ``_unknown.UNKNOWN``, any
    value above 1): a row's loss is the mean over its observed entries (0 for a row
    with none), and unknown entries have no gradient. Rows are then weighted by their
    share of observed entries (``_targets.training_data``), so that every observed
    entry counts the same. Only for "mean" losses (sigmoid outputs).
    """
    from keras import backend, ops

    # Targets are stored as uint8 (a quarter of the memory); they take the dtype of the
    # probabilities (float32, or float64 for the L-BFGS objective).
    dtype = backend.standardize_dtype(probabilities.dtype)
    if masked:
        observed = y <= 1
        y = ops.where(observed, y, ops.zeros_like(y))
    y = ops.cast(y, dtype)
    params = LossParams(*(ops.cast(v, dtype) for v in (LossParams() if params is None else params)))
    loss = LOSSES[name]
    values = loss.elementwise(y, probabilities, pos_weight, neg_weight, params)
    if masked:
        # where, not a product with the mask: an unknown entry's value cannot leak
        # into the gradient, whatever it is.
        values = ops.where(observed, values, ops.zeros_like(values))
        count = ops.sum(ops.cast(observed, dtype), axis=-1)
        return ops.sum(values, axis=-1) / ops.maximum(count, 1.0)
    if loss.reduce == "mean":
        return ops.mean(values, axis=-1)
    return ops.sum(values, axis=-1)
