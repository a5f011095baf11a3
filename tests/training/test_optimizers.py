"""Each entry of the optimizer table against its keras.optimizers counterpart, step by step."""

import numpy as np
import pytest

from skmultimlp._training._optimizers import OPTIMIZERS, SGDHyper, hyper_of

pytestmark = pytest.mark.usefixtures("keras_imported")


def _keras_optimizer(name, learning_rate):
    import keras

    return {
        "adam": lambda: keras.optimizers.Adam(learning_rate, epsilon=1e-8),
        "rmsprop": lambda: keras.optimizers.RMSprop(learning_rate),
        "sgd": lambda: keras.optimizers.SGD(learning_rate, momentum=0.9, nesterov=True),
    }[name]()


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_matches_keras_optimizer(name):
    import keras
    from keras import ops

    rng = np.random.default_rng(1)
    initial = [rng.normal(size=(4, 3)).astype(np.float32), rng.normal(size=3).astype(np.float32)]
    gradients = [[rng.normal(size=w.shape).astype(np.float32) for w in initial] for _ in range(6)]
    learning_rate = 0.05

    params = [ops.convert_to_tensor(w) for w in initial]
    init, update = OPTIMIZERS[name].init, OPTIMIZERS[name].update
    slots = init(params)
    # MLPClassifier's defaults (momentum, Nesterov, Adam's betas and epsilon)
    defaults = dict(learning_rate_init=learning_rate, momentum=0.9, nesterovs_momentum=True, beta_1=0.9,
                    beta_2=0.999, epsilon=1e-8)
    hyper = hyper_of(name, defaults)
    hyper = type(hyper)(*(ops.convert_to_tensor(v if isinstance(v, bool) else np.float32(v)) for v in hyper))
    for step, grads in enumerate(gradients, start=1):
        step_tensor = ops.convert_to_tensor(np.float32(step))
        params, slots = update(params, [ops.convert_to_tensor(g) for g in grads], slots, step_tensor, hyper)

    variables = [keras.Variable(w) for w in initial]
    optimizer = _keras_optimizer(name, learning_rate)
    for grads in gradients:
        optimizer.apply_gradients(zip([ops.convert_to_tensor(g) for g in grads], variables))
    for ours, theirs in zip(params, variables):
        np.testing.assert_allclose(ops.convert_to_numpy(ours), ops.convert_to_numpy(theirs),
                                   rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("momentum, nesterov", [(0.5, False), (0.0, False), (0.8, True)])
def test_sgd_momentum_variants_match_keras(momentum, nesterov):
    import keras
    from keras import ops

    rng = np.random.default_rng(2)
    initial = [rng.normal(size=(3, 2)).astype(np.float32)]
    gradients = [[rng.normal(size=(3, 2)).astype(np.float32)] for _ in range(5)]
    params, slots = [ops.convert_to_tensor(initial[0])], None
    init, update = OPTIMIZERS["sgd"].init, OPTIMIZERS["sgd"].update
    slots = init(params)
    hyper = SGDHyper(ops.convert_to_tensor(np.float32(0.1)), ops.convert_to_tensor(np.float32(momentum)),
                     ops.convert_to_tensor(nesterov))
    for step, grads in enumerate(gradients, start=1):
        params, slots = update(params, [ops.convert_to_tensor(g) for g in grads], slots,
                               ops.convert_to_tensor(np.float32(step)), hyper)
    variable = keras.Variable(initial[0])
    optimizer = keras.optimizers.SGD(0.1, momentum=momentum, nesterov=nesterov)
    for grads in gradients:
        optimizer.apply_gradients(zip([ops.convert_to_tensor(grads[0])], [variable]))
    np.testing.assert_allclose(ops.convert_to_numpy(params[0]), ops.convert_to_numpy(variable), rtol=1e-5, atol=1e-6)
