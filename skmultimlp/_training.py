"""The compiled training loop.

All epochs and batches of a fit run inside one compiled function per backend
(``jax.jit`` on JAX, ``tf.function(jit_compile=True)`` on TensorFlow; a plain
eager loop on PyTorch). The model is used through ``stateless_call``, so the
function is pure: weights, optimizer slots, dropout seed state and the
early-stopping bookkeeping are all loop state. The stopping rule is evaluated
once per epoch inside the loop, exactly as ``MLPClassifier`` does between epochs.

Compiled functions are cached per (architecture, loss, optimizer, batch size,
padded data shapes); learning rate, L2 strength, tolerances and the number of
epochs are run-time arguments, so the folds of a cross-validation and most grid
points reuse one compilation.
"""

from collections import OrderedDict
from contextlib import contextmanager

import numpy as np

EPSILON = 1e-7  # Keras' fuzz factor, used for clipping probabilities and in optimizers.
MAX_CACHED_FUNCTIONS = 16
MAX_PERMUTATION_ENTRIES = 2**21  # bound on the shuffled indices sent per call
MAX_PADDED_ROWS = 2**16  # larger data sets are not padded (no copy of X; one compile per size)

_CACHE = OrderedDict()


@contextmanager
def preserved_global_state():
    """Run a block, then put back NumPy's global random state and the environment.

    Fitting itself never touches them, but TensorFlow does on first use: importing it
    draws from NumPy's global generator, and it sets environment variables
    (``TF2_BEHAVIOR``, ``TF_CPP_MIN_LOG_LEVEL``, ...) on import and first compile.
    """
    import os

    state, environ = np.random.get_state(), dict(os.environ)
    try:
        yield
    finally:
        np.random.set_state(state)
        if dict(os.environ) != environ:
            os.environ.clear()
            os.environ.update(environ)


@contextmanager
def _quiet_tensorflow():
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


def padded_size(n):
    """Smallest ``m * 2**k`` (8 <= m < 16) strictly above ``n``.

    Data are padded to this many rows (with zero weight) so that folds of slightly
    different sizes share one compiled function; padding is at most 1/8 of ``n``.
    """
    k = max(int(n).bit_length() - 4, 0)
    return ((n >> k) + 1) << k


def _optimizer_init(name, params):
    from keras import ops

    if name == "adam":
        return [ops.zeros_like(p) for p in params] + [ops.zeros_like(p) for p in params]
    return [ops.zeros_like(p) for p in params]


def _optimizer_update(name, params, grads, slots, step, lr):
    """One update with the same formulas (and defaults) as ``keras.optimizers``."""
    from keras import ops

    if name == "adam":  # beta_1=0.9, beta_2=0.999, epsilon=1e-7
        n = len(params)
        m, v = slots[:n], slots[n:]
        alpha = lr * ops.sqrt(1.0 - ops.power(0.999, step)) / (1.0 - ops.power(0.9, step))
        m = [mi + (g - mi) * 0.1 for mi, g in zip(m, grads)]
        v = [vi + (ops.square(g) - vi) * 0.001 for vi, g in zip(v, grads)]
        params = [p - mi * alpha / (ops.sqrt(vi) + EPSILON) for p, mi, vi in zip(params, m, v)]
        return params, m + v
    if name == "rmsprop":  # rho=0.9, epsilon=1e-7
        v = [0.9 * vi + 0.1 * ops.square(g) for vi, g in zip(slots, grads)]
        params = [p - lr * g / ops.sqrt(vi + EPSILON) for p, g, vi in zip(params, grads, v)]
        return params, v
    # sgd: momentum=0.9, nesterov=True (MLPClassifier's solver="sgd" defaults)
    m = [0.9 * mi - lr * g for mi, g in zip(slots, grads)]
    params = [p + 0.9 * mi - lr * g for p, mi, g in zip(params, m, grads)]
    return params, m


def _per_row_loss(kind, probabilities, y, pos_weight, neg_weight):
    """Weighted cross-entropy of each row, as ``keras.losses`` computes it."""
    from keras import ops

    y = ops.cast(y, "float32")  # targets are stored as uint8: a quarter of the memory

    if kind == "softmax":
        p = probabilities / ops.sum(probabilities, axis=-1, keepdims=True)
        p = ops.clip(p, EPSILON, 1.0 - EPSILON)
        return -ops.sum(y * pos_weight * ops.log(p), axis=-1)
    p = ops.clip(probabilities, EPSILON, 1.0 - EPSILON)
    loss = -(y * pos_weight * ops.log(p) + (1.0 - y) * neg_weight * ops.log(1.0 - p))
    return ops.mean(loss, axis=-1)


def _value_and_grad(backend):
    """``f(params, *args) -> ((loss, aux), grads)`` for the active backend."""
    if backend == "jax":
        import jax

        def value_and_grad(f, params, *args):
            return jax.value_and_grad(f, has_aux=True)(params, *args)

    elif backend == "tensorflow":
        import tensorflow as tf

        def value_and_grad(f, params, *args):
            with tf.GradientTape() as tape:
                tape.watch(params)
                loss, aux = f(params, *args)
            return (loss, aux), tape.gradient(loss, params)

    elif backend == "torch":
        import torch

        def value_and_grad(f, params, *args):
            params = [p.detach().requires_grad_(True) for p in params]
            loss, aux = f(params, *args)
            grads = torch.autograd.grad(loss, params)
            return (loss.detach(), [a.detach() for a in aux]), list(grads)

    else:
        raise ValueError(f"Keras backend {backend!r} is not supported; use tensorflow, jax or torch.")
    return value_and_grad


def make_train_chunk(model, kind, optimizer, kernel_mask, use_validation):
    """Return the (uncompiled) function that runs up to ``C`` epochs.

    Parameters
    ----------
    model : keras.Model
        Used only through ``stateless_call``; its own weights are never read.
    kind : {"sigmoid", "softmax"}
        Output layer type, which selects the loss.
    optimizer : {"adam", "sgd", "rmsprop"}
    kernel_mask : list of bool
        Which trainable variables are kernels (L2-penalised, as MLPClassifier).
    use_validation : bool
        Whether the stopping rule watches a validation loss (``early_stopping``).
    """
    import keras
    from keras import ops

    value_and_grad = _value_and_grad(keras.backend.backend())
    # Keras' binary cross-entropy is the mean over the labels, MLPClassifier's the sum.
    # Dividing the penalty by the number of sigmoid outputs makes the objective
    # MLPClassifier's divided by that number: the same minimiser, so ``alpha`` means
    # the same for 3 labels or 300 (softmax and single-output losses are one term).
    n_terms = int(model.outputs[0].shape[-1]) if kind == "sigmoid" else 1

    # Losses are normalised by the sum of sample weights, as MLPClassifier does: with
    # unit weights this is Keras' mean over the batch, and weighting a sample by 2 is
    # the same as repeating it. Padding rows have weight 0.
    def batch_loss(params, non_trainable, x, y, w, pos_w, neg_w, alpha):
        out, non_trainable = model.stateless_call(params, non_trainable, x, training=True)
        rows = _per_row_loss(kind, out, y, pos_w, neg_w)
        penalty = sum(ops.sum(ops.square(p)) for p, k in zip(params, kernel_mask) if k)
        total_weight = ops.maximum(ops.sum(w), EPSILON)
        return (ops.sum(rows * w) + 0.5 * alpha * penalty / n_terms) / total_weight, non_trainable

    def dataset_loss(params, non_trainable, x, y, w, pos_w, neg_w):
        out = model.stateless_call(params, non_trainable, x, training=False)[0]
        return ops.sum(_per_row_loss(kind, out, y, pos_w, neg_w) * w) / ops.maximum(ops.sum(w), EPSILON)

    def chunk(state, data, perms, args):
        X, Y, W, Xv, Yv, Wv = data
        n_steps, n_epochs, lr, alpha, tol, patience, pos_w, neg_w = args
        capacity = perms.shape[0]

        def step(s, carry):
            params, nt, slots, t, total, e = carry
            idx = perms[e, s]  # entries past the epoch's samples point at W's zero tail
            w = ops.take(W, idx, axis=0)
            rows = ops.minimum(idx, X.shape[0] - 1)
            (loss, nt), grads = value_and_grad(
                batch_loss, params, nt, ops.take(X, rows, axis=0), ops.take(Y, rows, axis=0),
                w, pos_w, neg_w, alpha,
            )
            t = t + 1.0
            params, slots = _optimizer_update(optimizer, params, grads, slots, t, lr)
            return params, nt, slots, t, total + loss * ops.sum(w), e

        def epoch_cond(carry):
            return ops.logical_and(carry["epoch"] < n_epochs, ops.logical_not(carry["stopped"]))

        def epoch(carry):
            e = carry["epoch"]
            params, nt, slots, t, total, _ = ops.fori_loop(
                0, n_steps, step,
                (carry["params"], carry["non_trainable"], carry["slots"], carry["t"], ops.zeros((), "float32"), e),
            )
            train_loss = total / ops.maximum(ops.sum(W), EPSILON)
            if use_validation:
                val_loss = dataset_loss(params, nt, Xv, Yv, Wv, pos_w, neg_w)
                watched = val_loss
            else:
                val_loss = ops.zeros((), "float32")
                watched = train_loss
            # MLPClassifier._update_no_improvement_count, on a loss (lower is better).
            stalled = watched > carry["best"] - tol
            improved = watched < carry["best"]
            no_improvement = ops.where(stalled, carry["no_improvement"] + 1, 0)
            at_e = ops.arange(capacity) == e
            new = dict(
                params=params, non_trainable=nt, slots=slots, t=t,
                best=ops.where(improved, watched, carry["best"]),
                no_improvement=no_improvement,
                stopped=no_improvement > patience,
                epoch=e + 1,
                losses=ops.where(at_e, train_loss, carry["losses"]),
                val_losses=ops.where(at_e, val_loss, carry["val_losses"]),
            )
            if use_validation:
                new["best_params"] = [ops.where(improved, p, b) for p, b in zip(params, carry["best_params"])]
                new["best_non_trainable"] = [
                    ops.where(improved, p, b) for p, b in zip(nt, carry["best_non_trainable"])
                ]
            return (new,)

        carry = dict(
            state,
            epoch=ops.zeros((), "int32"),
            stopped=ops.zeros((), "bool"),
            losses=ops.zeros((capacity,), "float32"),
            val_losses=ops.zeros((capacity,), "float32"),
        )
        return ops.while_loop(lambda c: epoch_cond(c), epoch, (carry,))[0]

    return chunk


def _compile(fn):
    import keras

    backend = keras.backend.backend()
    if backend == "jax":
        import jax

        return jax.jit(fn)
    if backend == "tensorflow":
        import tensorflow as tf

        return tf.function(fn, jit_compile=True, reduce_retracing=False)
    return fn


def get_train_chunk(key, build_template, kind, optimizer, use_validation):
    """Compiled chunk function from the cache, building it on a miss (LRU, bounded)."""
    key = (key, kind, optimizer, use_validation)
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    template = build_template()
    kernel_mask = [v.path.endswith("kernel") for v in template.trainable_variables]
    fn = _compile(make_train_chunk(template, kind, optimizer, kernel_mask, use_validation))
    _CACHE[key] = fn
    while len(_CACHE) > MAX_CACHED_FUNCTIONS:
        _CACHE.popitem(last=False)
    return fn


def _pad(a, rows, dtype=np.float32):
    """``a`` as ``dtype`` with zero rows appended up to ``rows`` (no copy when possible)."""
    if a.shape[0] == rows:
        return np.ascontiguousarray(a, dtype=dtype)
    out = np.zeros((rows,) + a.shape[1:], dtype=dtype)
    out[: a.shape[0]] = a
    return out


def train(model, model_key, build_template, kind, optimizer, X, Y, W, validation, *, batch_size,
          max_iter, shuffle, shuffle_seed, learning_rate, alpha, tol, n_iter_no_change,
          pos_weight, neg_weight, verbose=0):
    """Train ``model`` in place and return its history.

    Parameters
    ----------
    model : keras.Model
        Built model whose variables hold the initial weights; on return they hold the
        trained weights (the best ones on the validation set with ``validation``).
    model_key : hashable or None
        Architecture key for the compiled-function cache (None: do not cache).
    build_template : callable
        Returns a model with the same architecture (used on a cache miss).
    kind : {"sigmoid", "softmax"}
    X, Y, W : ndarray
        Training features, 0/1 targets (n, n_outputs) and sample weights.
    validation : tuple of (X_val, Y_val, W_val) or None
        Held-out data for early stopping.

    Returns
    -------
    history : dict
        ``loss`` (per epoch), ``val_loss`` (with validation), ``n_iter``,
        ``stopped`` (the stopping rule fired) and ``best`` (best watched loss).
    """
    from keras import ops

    n, n_features = X.shape
    n_pad = padded_size(n) if n <= MAX_PADDED_ROWS else n
    steps_max = -(-n_pad // batch_size)
    n_steps = -(-n // batch_size)
    capacity = int(min(256, max(1, MAX_PERMUTATION_ENTRIES // (steps_max * batch_size))))
    use_validation = validation is not None
    if use_validation:
        Xv, Yv, Wv = validation
        val_pad = padded_size(Xv.shape[0])
        Xv, Yv, Wv = _pad(Xv, val_pad), _pad(Yv, val_pad, np.uint8), _pad(Wv, val_pad)
    else:
        # a one-row placeholder keeps the function signature fixed
        Xv, Yv = np.zeros((1, X.shape[1]), np.float32), np.zeros((1, Y.shape[1]), np.uint8)
        Wv = np.zeros(1, np.float32)

    key = None if model_key is None else (model_key, batch_size, n_pad, Xv.shape[0], capacity)
    if key is None:
        fn = _compile(make_train_chunk(
            model, kind, optimizer, [v.path.endswith("kernel") for v in model.trainable_variables],
            use_validation))
    else:
        fn = get_train_chunk(key, build_template, kind, optimizer, use_validation)

    data = tuple(ops.convert_to_tensor(a) for a in (_pad(X, n_pad), _pad(Y, n_pad, np.uint8), _pad(W, n_pad + 1), Xv, Yv, Wv))
    f32 = lambda v: ops.convert_to_tensor(np.asarray(v, dtype=np.float32))  # noqa: E731
    params = [ops.convert_to_tensor(v.numpy()) for v in model.trainable_variables]
    non_trainable = [ops.convert_to_tensor(v.numpy()) for v in model.non_trainable_variables]
    state = dict(
        params=params, non_trainable=non_trainable,
        slots=_optimizer_init(optimizer, params), t=f32(0.0),
        best=f32(np.inf), no_improvement=ops.convert_to_tensor(np.int32(0)),
    )
    if use_validation:
        state["best_params"], state["best_non_trainable"] = list(params), list(non_trainable)

    rng = np.random.default_rng(shuffle_seed)
    losses, val_losses, done, stopped = [], [], 0, False
    while done < max_iter and not stopped:
        epochs = min(capacity, max_iter - done)
        perms = np.full((capacity, steps_max * batch_size), n, dtype=np.int32)
        for e in range(epochs):
            perms[e, :n] = rng.permutation(n) if shuffle else np.arange(n)
        args = (
            ops.convert_to_tensor(np.int32(n_steps)),
            ops.convert_to_tensor(np.int32(epochs)), f32(learning_rate), f32(alpha), f32(tol),
            ops.convert_to_tensor(np.int32(n_iter_no_change)), f32(pos_weight), f32(neg_weight),
        )
        with _quiet_tensorflow():
            out = fn(state, data, ops.convert_to_tensor(perms.reshape(capacity, steps_max, batch_size)), args)
        ran = int(ops.convert_to_numpy(out["epoch"]))
        losses.extend(ops.convert_to_numpy(out["losses"])[:ran].tolist())
        val_losses.extend(ops.convert_to_numpy(out["val_losses"])[:ran].tolist())
        stopped = bool(ops.convert_to_numpy(out["stopped"]))
        state = {k: out[k] for k in state}
        done += ran
        if verbose:
            for i in range(done - ran, done):
                extra = f", validation loss = {val_losses[i]:.8f}" if use_validation else ""
                print(f"Iteration {i + 1}, loss = {losses[i]:.8f}{extra}")

    final = ("best_params", "best_non_trainable") if use_validation else ("params", "non_trainable")
    for variables, values in zip((model.trainable_variables, model.non_trainable_variables), final):
        for variable, value in zip(variables, state[values]):
            variable.assign(value)
    history = {"loss": losses, "n_iter": done, "stopped": stopped,
               "best": float(ops.convert_to_numpy(state["best"]))}
    if use_validation:
        history["val_loss"] = val_losses
    return history
