"""Loss functions: a table from name to an element-wise loss, as sklearn's ``LOSS_FUNCTIONS``.

Each entry maps probabilities to one loss value per (sample, output) with the
weights of positive and negative targets applied; ``reduce`` says how a row's
values become the row's loss (Keras' convention: binary cross-entropy is the mean
over the labels, categorical cross-entropy the sum over the classes).

Why not ``keras.ops.binary_crossentropy``: on TensorFlow it inspects the graph and,
when the probabilities come from a ``Sigmoid`` op, silently switches to the logits
formula, so the same fit would train differently under TensorFlow and JAX. The
formulas here are Keras' probability formulas (clip to ``[EPSILON, 1 - EPSILON]``,
then log), the same on every backend; ``tests/test_losses.py`` checks them against
``keras.losses``.
"""

from typing import Callable, NamedTuple

EPSILON = 1e-7  # Keras' fuzz factor


class Loss(NamedTuple):
    elementwise: Callable  # (y, probabilities, pos_weight, neg_weight) -> (n, n_outputs)
    reduce: str  # "mean" or "sum" over a row's outputs


def binary_crossentropy(y, probabilities, pos_weight, neg_weight):
    """Weighted binary cross-entropy of each output (independent sigmoids)."""
    from keras import ops

    p = ops.clip(probabilities, EPSILON, 1.0 - EPSILON)
    return -(y * pos_weight * ops.log(p) + (1.0 - y) * neg_weight * ops.log(1.0 - p))


def categorical_crossentropy(y, probabilities, pos_weight, neg_weight):
    """Weighted categorical cross-entropy terms of a softmax output (one-hot ``y``).

    ``neg_weight`` is not used: only the true class contributes.
    """
    from keras import ops

    p = probabilities / ops.sum(probabilities, axis=-1, keepdims=True)
    p = ops.clip(p, EPSILON, 1.0 - EPSILON)
    return -(y * pos_weight * ops.log(p))


LOSSES = {
    "binary_crossentropy": Loss(binary_crossentropy, "mean"),
    "categorical_crossentropy": Loss(categorical_crossentropy, "sum"),
}

# The loss each output layer is trained with.
LOSS_OF_OUTPUT = {"sigmoid": "binary_crossentropy", "softmax": "categorical_crossentropy"}


def per_row_loss(name, y, probabilities, pos_weight, neg_weight):
    """Loss of each row: the table entry's element-wise loss, reduced over the outputs."""
    from keras import backend, ops

    # Targets are stored as uint8 (a quarter of the memory); they take the dtype of the
    # probabilities (float32, or float64 for the L-BFGS objective).
    y = ops.cast(y, backend.standardize_dtype(probabilities.dtype))
    loss = LOSSES[name]
    values = loss.elementwise(y, probabilities, pos_weight, neg_weight)
    if loss.reduce == "mean":
        return ops.mean(values, axis=-1)
    return ops.sum(values, axis=-1)
