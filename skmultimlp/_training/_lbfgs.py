"""The L-BFGS solver: full-batch training by ``scipy.optimize.minimize``, as MLPClassifier.

``train_lbfgs`` has the contract of ``_driver.train``: it trains a Keras model in
place and returns the same history dict. The objective is the stochastic solvers'
(``_objective.make_losses``: the loss table of ``_losses``, the L2 penalty
``0.5 * alpha * ||W||^2 / n_terms``, both normalised by the sum of sample weights),
here over all the training data. One compiled function returns the objective and
its flat gradient; SciPy's L-BFGS-B calls it with the parameters packed in one
NumPy vector, exactly as MLPClassifier's ``_fit_lbfgs`` does with its NumPy
back-propagation (``max_iter`` as ``maxiter``, ``max_fun`` as ``maxfun``, ``tol``
as ``gtol``). SciPy is given MLPClassifier's scale of the objective (ours times the
number of sigmoid outputs, see ``_objective.loss_terms``): the same minimiser, and the same
stopping tests for the same ``tol``; started from the same weights, MLPClassifier
takes the same steps (``tests/training/test_lbfgs.py``).

The objective is computed in float64 by default, in a float64 twin of the model
(same config, float64 layers; on JAX under ``jax.enable_x64``, scoped to the
calls): L-BFGS compares function values across a line search, and in float32 the
loss is known to about 1e-7 relative, so it stops early or on a failed line
search; in float64, weighting a sample by ``k`` equals repeating it ``k`` times to
about 1e-12, as scikit-learn's sample-weight checks ask. Early stopping does not
apply (MLPClassifier ignores it with lbfgs): validation data, if given, are unused.
"""

import time

import numpy as np

from .._arrays import n_padded_rows, pad
from .._backend import cached_compile, contained_import_effects, precision, quiet_tensorflow, value_and_grad
from .._compat import _check_optimize_result
from .._inputs import input_kind
from ._losses import LossParams
from ._objective import kernel_mask, loss_terms, make_losses
from ._types import Batch, History, LossArgs


def train_lbfgs(model, spec, data, settings, max_fun=15000, dtype="float64"):
    """Train ``model`` in place with L-BFGS-B on the full data; return its history.

    Parameters
    ----------
    model : keras.Model
        Built model whose variables hold the initial weights; on return they hold the
        weights L-BFGS-B ended at.
    spec : _training.ModelSpec
        Architecture key (keys the compile cache), template builder and output
        activation; ``spec.optimizer`` is not used.
    data : _training.TrainingData
        Training features, 0/1 targets and sample weights; ``validation`` is ignored.
    settings : _training.Settings
        Uses ``max_iter`` (L-BFGS iterations), ``tol`` (SciPy's ``gtol``), ``alpha``,
        ``pos_weight``, ``neg_weight`` and ``verbose``; the batch, shuffling,
        learning-rate and patience settings do not apply.
    max_fun : int, default=15000
        Maximum number of objective evaluations (SciPy's ``maxfun``), as MLPClassifier.
    dtype : {"float64", "float32"}, default="float64"
        Precision of the objective and its gradient.

    Returns
    -------
    history : History
        ``loss`` (objective after each iteration), ``n_iter`` (``min(nit, max_iter)``,
        MLPClassifier's ``n_iter_``), ``stopped`` (L-BFGS-B converged), ``best_loss``
        (the final objective, MLPClassifier's ``loss_``), ``n_fun`` (objective
        evaluations) and ``seconds_compiling`` (first evaluation, with any compilation).

    Raises
    ------
    ValueError
        When the model has random layers (dropout), or the weights end non-finite.

    Warns
    -----
    ConvergenceWarning
        When L-BFGS-B stops without converging (``max_iter`` or ``max_fun`` reached,
        or a failed line search), with scikit-learn's message.
    """
    from keras import ops

    if any("seed_generator" in v.path for v in model.non_trainable_variables):
        raise ValueError(
            "L-BFGS needs a deterministic objective: the model has random layers (dropout); "
            "use dropout=0 with solver='lbfgs', or a stochastic solver."
        )
    shapes = [tuple(v.shape) for v in model.trainable_variables]
    x0 = pack([v.numpy() for v in model.trainable_variables])
    losses, calls = [], {"n": 0, "first": None}
    # SciPy sees MLPClassifier's objective (summed over the labels): the same minimiser,
    # and the same stopping tests (``gtol`` on the gradient, ``ftol`` relative to
    # max(|f|, 1)) for the same ``tol``.
    scale = loss_terms(model, spec.loss_name)
    with precision(dtype):
        n_pad = n_padded_rows(data.X.shape[0])
        fn = _compiled_objective(model, spec, n_pad, dtype)
        args = _device_arguments(data, settings, n_pad, dtype)
        non_trainable = [ops.convert_to_tensor(v.numpy()) for v in model.non_trainable_variables]
        objective = _scipy_objective(fn, [non_trainable, *args], shapes, dtype, scale, calls)

        def callback(intermediate_result):
            losses.append(float(intermediate_result.fun) / scale)
            if settings.verbose:
                print(f"Iteration {len(losses)}, loss = {losses[-1]:.8f}")

        result = _minimize(objective, x0, callback, settings, max_fun)
    n_iter = _check_optimize_result("lbfgs", result, settings.max_iter)
    _assign_weights(model, unpack(result.x, shapes, "float32"))
    return History(loss=losses[:n_iter], n_iter=n_iter, stopped=result.status == 0,
                   best_loss=float(result.fun) / scale, n_fun=calls["n"],
                   seconds_compiling=calls["first"])


def _scipy_objective(fn, arguments, shapes, dtype, scale, calls):
    """``objective(flat) -> (f, gradient)`` in float64 for SciPy, ``scale`` times ``fn``'s.

    Counts the evaluations in ``calls["n"]`` and times the first one (compilation).
    """
    from keras import ops

    def objective(flat):
        start = time.perf_counter()
        params = [ops.convert_to_tensor(a) for a in unpack(flat, shapes, dtype)]
        loss, grad = fn(params, *arguments)
        calls["n"] += 1
        calls["first"] = calls["first"] or time.perf_counter() - start
        return (scale * float(ops.convert_to_numpy(loss)),
                scale * ops.convert_to_numpy(grad).astype(np.float64))

    return objective


def _assign_weights(model, weights):
    """Write ``weights`` into the model's trainable variables; refuse non-finite ones."""
    if not all(np.all(np.isfinite(w)) for w in weights):
        raise ValueError(
            "Solver produced non-finite parameter weights. The input data may contain large "
            "values and need to be preprocessed."
        )
    for variable, value in zip(model.trainable_variables, weights):
        variable.assign(value)


def _minimize(objective, x0, callback, settings, max_fun):
    """``scipy.optimize.minimize`` with MLPClassifier's L-BFGS-B options."""
    from scipy.optimize import minimize

    with quiet_tensorflow():
        return minimize(objective, x0, method="L-BFGS-B", jac=True, callback=callback,
                        options={"maxfun": max_fun, "maxiter": settings.max_iter,
                                 "gtol": settings.tol})


def pack(arrays):
    """The arrays flattened into one float64 vector (SciPy's parameter vector)."""
    return np.concatenate([np.asarray(a, dtype=np.float64).ravel() for a in arrays])


def unpack(flat, shapes, dtype):
    """The arrays of ``shapes`` (as ``dtype``) held in order by the vector ``flat``."""
    sizes = [int(np.prod(s)) for s in shapes]
    ends = np.cumsum(sizes)
    return [flat[end - size : end].reshape(shape).astype(dtype)
            for size, end, shape in zip(sizes, ends, shapes)]


def make_objective(model, loss_name, masked=False):
    """Return the (uncompiled) ``objective(params, non_trainable, batch, args)`` for the loss
    ``loss_name`` (a ``Batch`` of all the rows, ``LossArgs``).

    It returns the penalised loss of ``_objective.make_losses`` over the given rows and its
    gradient with respect to ``params``, flattened into one vector in the order of
    ``model.trainable_variables``. ``model`` is used only through ``stateless_call``.
    ``masked``: the targets have unknown entries, left out of the loss.
    """
    import keras
    from keras import ops

    grad_fn = value_and_grad(keras.backend.backend())
    batch_loss, _ = make_losses(model, loss_name, kernel_mask(model), masked)

    def objective(params, non_trainable, batch, args):
        (loss, _), grads = grad_fn(batch_loss, params, non_trainable, batch, args)
        return loss, ops.concatenate([ops.reshape(g, (-1,)) for g in grads])

    return objective


def model_in_dtype(model, dtype):
    """``model`` itself when its weights are ``dtype``, else a new model of that dtype.

    The new model is built from ``model``'s config with every float dtype (layer
    policies and inputs) set to ``dtype``; its weights are not copied.
    """
    if all(v.dtype == dtype for v in model.trainable_variables):
        return model

    def retyped(node):
        if isinstance(node, dict):
            node = dict(node)
            policy = node.get("dtype")
            if isinstance(policy, str) and policy.startswith("float"):
                node["dtype"] = dtype
            elif isinstance(policy, dict) and policy.get("class_name") == "DTypePolicy":
                node["dtype"] = dict(policy, config={"name": dtype})
            return {k: retyped(v) for k, v in node.items()}
        if isinstance(node, list):
            return [retyped(v) for v in node]
        return node

    try:
        with contained_import_effects():  # serialising may import TensorFlow's helpers
            config = model.get_config()
        return model.__class__.from_config(retyped(config))
    except (NotImplementedError, TypeError, ValueError) as exc:
        raise TypeError(
            f"L-BFGS in {dtype} rebuilds the model from its config with {dtype} layers; "
            f"this model could not be rebuilt ({exc})."
        ) from exc


def _compiled_objective(model, spec, n_rows, dtype):
    """The compiled objective for this architecture, row count and dtype (cached when keyed)."""
    key = None if spec.key is None else (spec.key, n_rows, spec.loss_name, "lbfgs", dtype, spec.masked)

    def make():
        built = model if key is None else spec.build_template()
        return make_objective(model_in_dtype(built, dtype), spec.loss_name, spec.masked)

    return cached_compile(key, make, autograph=spec.needs_autograph)


def _device_arguments(data, settings, n_rows, dtype):
    """The full data (padded with zero-weight rows to ``n_rows``) and settings, as tensors."""
    from keras import ops

    # L-BFGS evaluates all rows at once: sparse features are densified (small data only).
    X = input_kind(data.X).dense_rows(data.X)

    def tensor(value, value_dtype=dtype):
        return ops.convert_to_tensor(np.asarray(value, dtype=value_dtype))

    batch = Batch(tensor(pad(X, n_rows, dtype)), tensor(pad(data.Y, n_rows, np.uint8), np.uint8),
                  tensor(pad(data.W, n_rows, dtype)))
    loss_params = LossParams(*(tensor(v) for v in (settings.loss_params or LossParams())))
    args = LossArgs(tensor(settings.pos_weight), tensor(settings.neg_weight), tensor(settings.alpha),
                    loss_params)
    return [batch, args]
