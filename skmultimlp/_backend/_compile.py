"""What differs between Keras backends: gradients, compilation, data sharing, precision.

``value_and_grad`` and ``compile_function`` are the only per-backend code of the
training loop (``jax.jit`` on JAX, ``tf.function(jit_compile=True)`` on TensorFlow,
a plain eager function on PyTorch). Compiled functions are kept in a small LRU
cache, so the folds of a cross-validation reuse one compilation (and
``_disk_cache`` keeps them on disk for the next process).
"""

import contextlib
import functools
from collections import OrderedDict

from .._arrays import ALIGNMENT
from ._disk_cache import clear_tensorflow_cache, configure_jax
from ._imports import tensorflow_cache_flags

MAX_CACHED_FUNCTIONS = 16

_CACHE = OrderedDict()


def compiled_keys():
    """The keys of this process's compile cache: a fit that adds one compiled its loop."""
    return set(_CACHE)


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


def compile_function(fn, autograph=False):
    """``fn`` compiled for the active Keras backend (unchanged on PyTorch).

    ``autograph``: let TensorFlow rewrite Python control flow on tensors. Our loop
    needs none (it uses ``ops.while_loop`` and ``ops.where``), and converting its
    source was 90% of TensorFlow's tracing (11.8 of 13.1 s on emotions, under load),
    paid in every new process; it is kept for custom models, whose ``call`` may
    branch on tensors as ``keras.Model.fit`` allows on TensorFlow.
    """
    import keras

    backend = keras.backend.backend()
    if backend == "jax":
        import jax

        configure_jax()  # before the first compilation
        return jax.jit(fn)
    if backend == "tensorflow":
        import tensorflow as tf

        def make():
            return tf.function(fn, jit_compile=True, reduce_retracing=False, autograph=autograph)

        return make() if tensorflow_cache_flags() is None else _recovering(make)
    return fn


def _recovering(make):
    """``make()``, retried once as a new function after clearing a failing persistent cache.

    TensorFlow fails a call, instead of compiling, when an entry of its persistent
    cache is damaged or cannot be written. A new ``tf.function`` has a new name, hence
    new keys: the retry compiles, and the in-process failure is not replayed.
    """
    import tensorflow as tf

    compiled, called = [make()], []

    def call(*args):
        if called:  # compiled by the first call (its shapes are part of the cache key)
            return compiled[0](*args)
        called.append(True)
        try:
            return compiled[0](*args)
        except tf.errors.OpError:
            if not clear_tensorflow_cache(tensorflow_cache_flags()):
                raise
            compiled[0] = make()
            return compiled[0](*args)

    return call


def cached_compile(key, make_function, autograph=False):
    """The compiled function stored under ``key``; on a miss, compile ``make_function()``.

    ``key=None`` compiles without caching (a model whose architecture has no key).
    The cache is an LRU of ``MAX_CACHED_FUNCTIONS`` entries. ``autograph``: see
    ``compile_function``.
    """
    if key is None:
        return compile_function(make_function(), autograph)
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    fn = compile_function(make_function(), autograph)
    _CACHE[key] = fn
    while len(_CACHE) > MAX_CACHED_FUNCTIONS:
        _CACHE.popitem(last=False)
    return fn


def _same_sequence(like, items):
    """``items`` as a sequence of ``like``'s type (a list, tuple or NamedTuple)."""
    return type(like)(*items) if hasattr(like, "_fields") else type(like)(items)


def to_tensors(value):
    from keras import ops

    if isinstance(value, (list, tuple)):
        return _same_sequence(value, [to_tensors(v) for v in value])
    return ops.convert_to_tensor(value)


def shared_tensors(value):
    """Backend tensors of NumPy arrays, sharing their memory on a CPU (no copy of the data).

    TensorFlow's and Keras' conversions copy (TensorFlow's holds two copies at its peak);
    DLPack hands a 64-byte aligned array over as it is. On an accelerator the data must
    move anyway, and a CPU-placed JAX array would pin the computation to the CPU.
    """
    if isinstance(value, (list, tuple)):
        return _same_sequence(value, [shared_tensors(v) for v in value])
    import keras

    backend = keras.backend.backend()
    if value.flags.c_contiguous and value.ctypes.data % ALIGNMENT == 0 and _on_cpu(backend):
        if backend == "tensorflow":
            import tensorflow as tf

            return tf.experimental.dlpack.from_dlpack(value.__dlpack__())
        if backend == "jax":
            import jax

            return jax.dlpack.from_dlpack(value)
    return to_tensors(value)


@functools.lru_cache(maxsize=None)
def _on_cpu(backend):
    if backend == "tensorflow":
        import tensorflow as tf

        return not tf.config.list_logical_devices("GPU")
    if backend == "jax":
        import jax

        return jax.default_backend() == "cpu"
    return False


@contextlib.contextmanager
def precision(dtype):
    """Allow float64 arrays on JAX (``jax.enable_x64``, undone on exit) when asked for."""
    import keras

    if dtype != "float64" or keras.backend.backend() != "jax":
        yield
        return
    import jax

    with jax.enable_x64(True):
        yield
