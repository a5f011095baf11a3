"""Optimizers: a table from name to pure functions and named state, shaped as optax's.

``init(params) -> state`` and ``update(params, grads, state, step, hyper) -> (params,
state)`` work on lists of backend tensors, so they run inside the compiled training
loop. Each optimizer names its state (``AdamState(m, v)``, as optax's
``ScaleByAdamState``) and its hyper-parameters (``AdamHyper``: fields named after
the estimator's parameters, read by ``hyper_of``), held as run-time tensors: a grid
over them does not recompile. They are hand-written because Keras'
``stateless_apply`` is refused by the TensorFlow backend inside a compiled function
and optax is JAX-only. The formulas are ``MLPClassifier``'s (``sgd``, ``adam``,
which Keras' optimizers share) and Keras' RMSprop; ``tests/training/test_optimizers.py``
checks each entry against its Keras optimizer step by step.
"""

from typing import Callable, NamedTuple

RMSPROP_RHO, RMSPROP_EPSILON = 0.9, 1e-7  # Keras' RMSprop defaults


class AdamHyper(NamedTuple):
    learning_rate: object  # the estimator's learning_rate_init (the loop's current rate)
    beta_1: object
    beta_2: object
    epsilon: object


class SGDHyper(NamedTuple):
    learning_rate: object
    momentum: object
    nesterovs_momentum: object  # a bool


class RMSpropHyper(NamedTuple):
    learning_rate: object


class AdamState(NamedTuple):
    m: list  # first moments, one tensor per parameter
    v: list  # second moments


class SGDState(NamedTuple):
    velocity: list


class RMSpropState(NamedTuple):
    mean_square: list


class Optimizer(NamedTuple):
    init: Callable
    update: Callable
    hyper: type  # its hyper-parameters' NamedTuple
    state: type  # its state's NamedTuple: each field one tensor per parameter


def _zeros(params):
    from keras import ops

    return [ops.zeros_like(p) for p in params]


def adam_init(params):
    return AdamState(_zeros(params), _zeros(params))


def adam_update(params, grads, state, step, hyper):
    """Adam, as ``MLPClassifier`` and ``keras.optimizers.Adam`` compute it."""
    from keras import ops

    alpha = (hyper.learning_rate * ops.sqrt(1.0 - ops.power(hyper.beta_2, step))
             / (1.0 - ops.power(hyper.beta_1, step)))
    m = [mi + (g - mi) * (1.0 - hyper.beta_1) for mi, g in zip(state.m, grads)]
    v = [vi + (ops.square(g) - vi) * (1.0 - hyper.beta_2) for vi, g in zip(state.v, grads)]
    params = [p - mi * alpha / (ops.sqrt(vi) + hyper.epsilon) for p, mi, vi in zip(params, m, v)]
    return params, AdamState(m, v)


def rmsprop_init(params):
    return RMSpropState(_zeros(params))


def rmsprop_update(params, grads, state, step, hyper):
    """``keras.optimizers.RMSprop`` with its default rho and epsilon."""
    from keras import ops

    v = [RMSPROP_RHO * vi + (1.0 - RMSPROP_RHO) * ops.square(g) for vi, g in zip(state.mean_square, grads)]
    params = [p - hyper.learning_rate * g / ops.sqrt(vi + RMSPROP_EPSILON)
              for p, g, vi in zip(params, grads, v)]
    return params, RMSpropState(v)


def sgd_init(params):
    return SGDState(_zeros(params))


def sgd_update(params, grads, state, step, hyper):
    """SGD with momentum, Nesterov's when ``hyper.nesterovs_momentum`` (MLPClassifier's ``sgd``)."""
    from keras import ops

    lr, momentum = hyper.learning_rate, hyper.momentum
    velocities = [momentum * mi - lr * g for mi, g in zip(state.velocity, grads)]
    params = [
        ops.where(hyper.nesterovs_momentum, p + momentum * vi - lr * g, p + vi)
        for p, vi, g in zip(params, velocities, grads)
    ]
    return params, SGDState(velocities)


OPTIMIZERS = {
    "adam": Optimizer(adam_init, adam_update, AdamHyper, AdamState),
    "rmsprop": Optimizer(rmsprop_init, rmsprop_update, RMSpropHyper, RMSpropState),
    "sgd": Optimizer(sgd_init, sgd_update, SGDHyper, SGDState),
}


def hyper_of(solver, params):
    """The hyper-parameters of ``solver`` from the estimator's ``params`` (a mapping of its
    parameters: each field is read by its name, ``learning_rate`` from ``learning_rate_init``)."""
    fields = OPTIMIZERS[solver].hyper._fields
    return OPTIMIZERS[solver].hyper(
        *(params["learning_rate_init" if name == "learning_rate" else name] for name in fields)
    )


def flat_state(state):
    """A state as one flat list (each field's tensors one after the other): what a fitted
    estimator keeps for ``partial_fit``, plain data that pickle and skops store as is."""
    return [tensor for field in state for tensor in field]


def state_of(solver, flat, n_params):
    """The state of ``solver`` from its ``flat_state`` over ``n_params`` parameters."""
    state = OPTIMIZERS[solver].state
    return state(*(list(flat[i * n_params : (i + 1) * n_params]) for i in range(len(state._fields))))
