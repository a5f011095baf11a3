"""What differs between Keras backends: gradients, compilation, and their side effects.

``value_and_grad`` and ``compile_function`` are the only per-backend code of the
training loop (``jax.jit`` on JAX, ``tf.function(jit_compile=True)`` on TensorFlow,
a plain eager function on PyTorch). Compiled functions are kept in a small LRU
cache, so the folds of a cross-validation reuse one compilation. TensorFlow's
side effects (global random state and environment variables on import, retracing
warnings) are contained here too.
"""

import os
import sys
import threading
from collections import OrderedDict
from contextlib import contextmanager

import numpy as np

MAX_CACHED_FUNCTIONS = 16

_CACHE = OrderedDict()


_IMPORT_LOCK = threading.RLock()


@contextmanager
def contained_import_effects():
    """Run a block that may import TensorFlow or Keras; undo what those imports change.

    Importing TensorFlow draws from NumPy's global generator and sets environment
    variables (``TF2_BEHAVIOR``, ``TF_CPP_MIN_LOG_LEVEL``, ...); Keras' JSON helpers
    import it even under JAX. After the block, and only if it imported modules, the
    generator's state and the variables the block changed are put back. Blocks run
    under one lock, so two threads never import at once; a block that imports nothing
    touches no global state (another thread's ``np.random.seed`` or ``os.environ``
    change made meanwhile stays).
    """
    with _IMPORT_LOCK:
        n_modules = len(sys.modules)
        rng_state, environ = np.random.get_state(), dict(os.environ)
        try:
            yield
        finally:
            if len(sys.modules) != n_modules:
                np.random.set_state(rng_state)
                _restore_environ(environ)


def _restore_environ(previous):
    """Put back the variables that differ from ``previous``, leaving the others alone."""
    for name in set(os.environ) - set(previous):
        del os.environ[name]
    for name, value in previous.items():
        if os.environ.get(name) != value:
            os.environ[name] = value


def import_keras():
    """``keras``, imported with its backend's side effects contained (see above)."""
    if "keras" not in sys.modules:
        with contained_import_effects():
            try:
                import keras
            except ModuleNotFoundError as exc:  # KERAS_BACKEND names an absent package
                backend = os.environ.get("KERAS_BACKEND", "tensorflow")
                raise ImportError(
                    f"KERAS_BACKEND={backend!r} needs the {exc.name!r} package, which is not "
                    f"installed: install it (pip install \".[{backend}]\" from a checkout) or "
                    "choose another backend (tensorflow, jax, torch)."
                ) from None
            # The backend module is imported lazily on first use: import it here too.
            keras.ops.convert_to_numpy(keras.ops.zeros(1))
    import keras

    return keras


@contextmanager
def quiet_tensorflow():
    """Silence TensorFlow's retracing warnings during a call, then restore its logger.

    A cross-validation over several architectures compiles one function each, which
    TensorFlow reports as "excessive retracing"; that is expected here.
    """
    import sys

    if "tensorflow" not in sys.modules:
        yield
        return
    import tensorflow as tf

    logger = tf.get_logger()
    level = logger.level
    logger.setLevel("ERROR")
    try:
        yield
    finally:
        logger.setLevel(level)


def value_and_grad(backend):
    """``f(params, *args) -> ((loss, aux), grads)`` for the named Keras backend."""
    if backend == "jax":
        import jax

        def jax_value_and_grad(f, params, *args):
            return jax.value_and_grad(f, has_aux=True)(params, *args)

        return jax_value_and_grad
    if backend == "tensorflow":
        import tensorflow as tf

        def tf_value_and_grad(f, params, *args):
            with tf.GradientTape() as tape:
                tape.watch(params)
                loss, aux = f(params, *args)
            return (loss, aux), tape.gradient(loss, params)

        return tf_value_and_grad
    if backend == "torch":
        import torch

        def torch_value_and_grad(f, params, *args):
            params = [p.detach().requires_grad_(True) for p in params]
            loss, aux = f(params, *args)
            grads = torch.autograd.grad(loss, params)
            return (loss.detach(), [a.detach() for a in aux]), list(grads)

        return torch_value_and_grad
    raise ValueError(f"Keras backend {backend!r} is not supported; use tensorflow, jax or torch.")


def compile_function(fn):
    """``fn`` compiled for the active Keras backend (unchanged on PyTorch)."""
    import keras

    backend = keras.backend.backend()
    if backend == "jax":
        import jax

        return jax.jit(fn)
    if backend == "tensorflow":
        import tensorflow as tf

        return tf.function(fn, jit_compile=True, reduce_retracing=False)
    return fn


def cached_compile(key, make_function):
    """The compiled function stored under ``key``; on a miss, compile ``make_function()``.

    ``key=None`` compiles without caching (a model whose architecture has no key).
    The cache is an LRU of ``MAX_CACHED_FUNCTIONS`` entries.
    """
    if key is None:
        return compile_function(make_function())
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    fn = compile_function(make_function())
    _CACHE[key] = fn
    while len(_CACHE) > MAX_CACHED_FUNCTIONS:
        _CACHE.popitem(last=False)
    return fn
