"""What differs between Keras backends: gradients, compilation, and their side effects.

``value_and_grad`` and ``compile_function`` are the only per-backend code of the
training loop (``jax.jit`` on JAX, ``tf.function(jit_compile=True)`` on TensorFlow,
a plain eager function on PyTorch). Compiled functions are kept in a small LRU
cache, so the folds of a cross-validation reuse one compilation (and
``_compile_cache`` keeps them on disk for the next process). TensorFlow's side
effects (global random state and environment variables on import, start-up lines
on standard error, retracing warnings) are contained here too.
"""

import importlib.util
import os
import random
import re
import sys
import tempfile
import threading
from collections import OrderedDict
from contextlib import contextmanager, nullcontext
from functools import lru_cache

import numpy as np

from ._compile_cache import clear_tensorflow_cache, configure_jax, tensorflow_flags

MAX_CACHED_FUNCTIONS = 16

_CACHE = OrderedDict()


_IMPORT_LOCK = threading.RLock()
_tensorflow_cache_flags = None  # TF_XLA_FLAGS as set by import_keras, when it set them


@contextmanager
def contained_import_effects():
    """Run a block that may import TensorFlow or Keras; undo what those imports change.

    Importing TensorFlow draws from NumPy's global generator (Keras' import of rich from
    Python's) and sets environment
    variables (``TF2_BEHAVIOR``, ``TF_CPP_MIN_LOG_LEVEL``, ...); Keras' JSON helpers
    import it even under JAX. After the block, and only if it imported modules, the
    generator's state and the variables the block changed are put back. Blocks run
    under one lock, so two threads never import at once; a block that imports nothing
    touches no global state (another thread's ``np.random.seed`` or ``os.environ``
    change made meanwhile stays). Until TensorFlow is imported, blocks run under
    :func:`quiet_startup`.
    """
    with _IMPORT_LOCK:
        n_modules = len(sys.modules)
        rng_state, environ = np.random.get_state(), dict(os.environ)
        python_rng_state = random.getstate()  # importing Keras imports rich, which draws from it
        quiet = quiet_startup() if _tensorflow_not_imported_yet() else nullcontext()
        try:
            with quiet:
                yield
        finally:
            if len(sys.modules) != n_modules:
                np.random.set_state(rng_state)
                random.setstate(python_rng_state)
                _restore_environ(environ)


def _restore_environ(previous):
    """Put back the variables that differ from ``previous``, leaving the others alone."""
    for name in set(os.environ) - set(previous):
        del os.environ[name]
    for name, value in previous.items():
        if os.environ.get(name) != value:
            os.environ[name] = value


def import_keras():
    """``keras``, imported with its backend's side effects contained (see above).

    When this imports TensorFlow, its first device is created here too, with the
    persistent compilation cache of ``_compile_cache`` in ``TF_XLA_FLAGS`` (read
    once, then put back with the other variables).
    """
    if "keras" not in sys.modules:
        with contained_import_effects():
            first_tensorflow = "tensorflow" not in sys.modules
            try:
                import keras
            except ModuleNotFoundError as exc:  # KERAS_BACKEND names an absent package
                backend = os.environ.get("KERAS_BACKEND", "tensorflow")
                raise ImportError(
                    f"KERAS_BACKEND={backend!r} needs the {exc.name!r} package, which is not "
                    f"installed: install it (pip install \".[{backend}]\" from a checkout) or "
                    "choose another backend (tensorflow, jax, torch)."
                ) from None
            if first_tensorflow and keras.backend.backend() == "tensorflow":
                global _tensorflow_cache_flags
                flags = tensorflow_flags(os.environ.get("TF_XLA_FLAGS"))
                if flags is not None:
                    os.environ["TF_XLA_FLAGS"] = _tensorflow_cache_flags = flags
            if keras.backend.backend() == "jax":
                configure_jax()  # before the first operation, so every compilation is cached
            # The backend module is imported lazily on first use: import it here too.
            keras.ops.convert_to_numpy(keras.ops.zeros(1))
    import keras

    if keras.backend.backend() == "jax":  # Keras imported by the caller before us
        configure_jax()
    return keras


# TensorFlow's C++ start-up notices (oneDNN, CPU instructions, no CUDA driver, a
# failed cuInit on a CPU machine) are written to file descriptor 2 while it loads,
# before its log level applies; lines in absl's format, or these, are dropped.
_ABSL_LINE = re.compile(rb"^[IWE]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ [\w.+-]+:\d+\] ")
_STARTUP_NOTICES = (
    b"WARNING: All log messages before absl::InitializeLog() is called",
    b"To enable the following instructions:",
)
# 3 hides C++ ERROR lines too: XLA's persistent cache logs two harmless ones on each
# load (a text-format parse attempt, tuning flags taken for CPU features).
QUIET_LOG_LEVEL = "3"


@lru_cache(maxsize=1)
def _tensorflow_installed():
    return importlib.util.find_spec("tensorflow") is not None


def _tensorflow_not_imported_yet():
    return "tensorflow" not in sys.modules and _tensorflow_installed()


@contextmanager
def quiet_startup():
    """Hide TensorFlow's start-up lines from a block that may import it.

    Unless the user set ``TF_CPP_MIN_LOG_LEVEL`` (then nothing is hidden), it is set
    to ``QUIET_LOG_LEVEL`` for the block only (TensorFlow reads it once, on import),
    and file descriptor 2 is captured in a temporary file: afterwards every captured
    line that is not a start-up notice is written to the real standard error, so
    another thread's or the user's output is delayed, never lost. If the block
    raises, every line is written back.
    """
    if "TF_CPP_MIN_LOG_LEVEL" in os.environ:
        yield
        return
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = QUIET_LOG_LEVEL
    try:
        with _captured_stderr():
            yield
    finally:
        os.environ.pop("TF_CPP_MIN_LOG_LEVEL", None)


@contextmanager
def _captured_stderr():
    """File descriptor 2 held in a temporary file; see :func:`quiet_startup`."""
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no standard error to capture (a windowed process)
        yield
        return
    keep = _is_not_a_startup_notice
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        except BaseException:
            keep = None
            raise
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            kept = b"".join(line for line in captured if keep is None or keep(line))
            while kept:  # os.write may write less than asked
                kept = kept[os.write(2, kept):]


def _is_not_a_startup_notice(line):
    return not (_ABSL_LINE.match(line) or line.startswith(_STARTUP_NOTICES))


@contextmanager
def quiet_tensorflow():
    """Silence TensorFlow's retracing warnings during a call, then restore its logger.

    A cross-validation over several architectures compiles one function each, which
    TensorFlow reports as "excessive retracing"; that is expected here.
    """
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

        return make() if _tensorflow_cache_flags is None else _recovering(make)
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
            if not clear_tensorflow_cache(_tensorflow_cache_flags):
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


def compiled_keys():
    """The keys of this process's compile cache: a fit that adds one compiled its loop."""
    return set(_CACHE)
