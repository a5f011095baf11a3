"""Each entry of the optimizer table against its keras.optimizers counterpart, step by step."""

import numpy as np
import pytest

from skmultimlp._optimizers import OPTIMIZERS

pytestmark = pytest.mark.usefixtures("keras_imported")


def _keras_optimizer(name, learning_rate):
    import keras

    return {
        "adam": lambda: keras.optimizers.Adam(learning_rate),
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
    init, update = OPTIMIZERS[name]
    slots = init(params)
    for step, grads in enumerate(gradients, start=1):
        step_tensor = ops.convert_to_tensor(np.float32(step))
        params, slots = update(params, [ops.convert_to_tensor(g) for g in grads], slots,
                               step_tensor, ops.convert_to_tensor(np.float32(learning_rate)))

    variables = [keras.Variable(w) for w in initial]
    optimizer = _keras_optimizer(name, learning_rate)
    for grads in gradients:
        optimizer.apply_gradients(zip([ops.convert_to_tensor(g) for g in grads], variables))
    for ours, theirs in zip(params, variables):
        np.testing.assert_allclose(ops.convert_to_numpy(ours), ops.convert_to_numpy(theirs),
                                   rtol=1e-5, atol=1e-6)
