"""Optimizers: a table from name to a pair of pure functions, shaped as optax's.

``init(params) -> slots`` and ``update(params, grads, slots, step, hyper) -> (params,
slots)`` work on lists of backend tensors, so they run inside the compiled training
loop; ``hyper`` holds the hyper-parameters as run-time tensors (a grid over them
does not recompile). They are hand-written because Keras' ``stateless_apply`` is
refused by the TensorFlow backend inside a compiled function and optax is JAX-only.
The formulas are ``MLPClassifier``'s (``sgd``, ``adam``, which Keras' optimizers
share) and Keras' RMSprop; ``tests/test_optimizers.py`` checks each entry against
its Keras optimizer step by step.
"""

from typing import Callable, NamedTuple

RMSPROP_RHO, RMSPROP_EPSILON = 0.9, 1e-7  # Keras' RMSprop defaults


class Hyper(NamedTuple):
    """Hyper-parameters of one update, as backend scalars (MLPClassifier's names)."""

    learning_rate: object
    momentum: object  # sgd
    nesterov: object  # sgd, a bool
    beta_1: object  # adam
    beta_2: object  # adam
    epsilon: object  # adam


class Optimizer(NamedTuple):
    init: Callable
    update: Callable


def _zeros(params):
    from keras import ops

    return [ops.zeros_like(p) for p in params]


def adam_init(params):
    return _zeros(params) + _zeros(params)  # first moments, then second moments


def adam_update(params, grads, slots, step, hyper):
    """Adam, as ``MLPClassifier`` and ``keras.optimizers.Adam`` compute it."""
    from keras import ops

    n = len(params)
    m, v = slots[:n], slots[n:]
    alpha = (hyper.learning_rate * ops.sqrt(1.0 - ops.power(hyper.beta_2, step))
             / (1.0 - ops.power(hyper.beta_1, step)))
    m = [mi + (g - mi) * (1.0 - hyper.beta_1) for mi, g in zip(m, grads)]
    v = [vi + (ops.square(g) - vi) * (1.0 - hyper.beta_2) for vi, g in zip(v, grads)]
    params = [p - mi * alpha / (ops.sqrt(vi) + hyper.epsilon) for p, mi, vi in zip(params, m, v)]
    return params, m + v


def rmsprop_update(params, grads, slots, step, hyper):
    """``keras.optimizers.RMSprop`` with its default rho and epsilon."""
    from keras import ops

    v = [RMSPROP_RHO * vi + (1.0 - RMSPROP_RHO) * ops.square(g) for vi, g in zip(slots, grads)]
    params = [p - hyper.learning_rate * g / ops.sqrt(vi + RMSPROP_EPSILON)
              for p, g, vi in zip(params, grads, v)]
    return params, v


def sgd_update(params, grads, slots, step, hyper):
    """SGD with momentum, Nesterov's when ``hyper.nesterov`` (MLPClassifier's ``sgd``)."""
    from keras import ops

    lr, momentum = hyper.learning_rate, hyper.momentum
    velocities = [momentum * mi - lr * g for mi, g in zip(slots, grads)]
    params = [
        ops.where(hyper.nesterov, p + momentum * vi - lr * g, p + vi)
        for p, vi, g in zip(params, velocities, grads)
    ]
    return params, velocities


OPTIMIZERS = {
    "adam": Optimizer(adam_init, adam_update),
    "rmsprop": Optimizer(_zeros, rmsprop_update),
    "sgd": Optimizer(_zeros, sgd_update),
}
