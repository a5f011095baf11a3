"""Optimizers: a table from name to a pair of pure functions, shaped as optax's.

``init(params) -> slots`` and ``update(params, grads, slots, step, lr) -> (params,
slots)`` work on lists of backend tensors, so they run inside the compiled training
loop. They are hand-written because Keras' ``stateless_apply`` is refused by the
TensorFlow backend inside a compiled function and optax is JAX-only; the formulas
and constants are ``keras.optimizers``' defaults, and ``tests/test_optimizers.py``
checks each entry against its Keras optimizer step by step.
"""

from typing import Callable, NamedTuple

EPSILON = 1e-7  # Keras' default epsilon


class Optimizer(NamedTuple):
    init: Callable
    update: Callable


def _zeros(params):
    from keras import ops

    return [ops.zeros_like(p) for p in params]


def adam_init(params):
    return _zeros(params) + _zeros(params)  # first moments, then second moments


def adam_update(params, grads, slots, step, lr):
    """``keras.optimizers.Adam``: beta_1=0.9, beta_2=0.999, epsilon=1e-7."""
    from keras import ops

    n = len(params)
    m, v = slots[:n], slots[n:]
    alpha = lr * ops.sqrt(1.0 - ops.power(0.999, step)) / (1.0 - ops.power(0.9, step))
    m = [mi + (g - mi) * 0.1 for mi, g in zip(m, grads)]
    v = [vi + (ops.square(g) - vi) * 0.001 for vi, g in zip(v, grads)]
    params = [p - mi * alpha / (ops.sqrt(vi) + EPSILON) for p, mi, vi in zip(params, m, v)]
    return params, m + v


def rmsprop_update(params, grads, slots, step, lr):
    """``keras.optimizers.RMSprop``: rho=0.9, epsilon=1e-7."""
    from keras import ops

    v = [0.9 * vi + 0.1 * ops.square(g) for vi, g in zip(slots, grads)]
    params = [p - lr * g / ops.sqrt(vi + EPSILON) for p, g, vi in zip(params, grads, v)]
    return params, v


def sgd_update(params, grads, slots, step, lr):
    """``keras.optimizers.SGD(momentum=0.9, nesterov=True)``: MLPClassifier's sgd defaults."""
    m = [0.9 * mi - lr * g for mi, g in zip(slots, grads)]
    params = [p + 0.9 * mi - lr * g for p, mi, g in zip(params, m, grads)]
    return params, m


OPTIMIZERS = {
    "adam": Optimizer(adam_init, adam_update),
    "rmsprop": Optimizer(_zeros, rmsprop_update),
    "sgd": Optimizer(_zeros, sgd_update),
}
