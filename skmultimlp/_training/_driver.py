"""The host driver of the mini-batch solvers: ``train`` in three phases.

``_prepare`` puts the data on the device (``_device_data``), fetches the compiled
loop of ``_loop`` (from the cache of ``_backend``) and sets up its state;
``_run_chunks`` calls it in chunks of epochs, collecting the loss curves;
``_finish`` keeps the final (or best) weights and checks for divergence. What keys
the compile cache is static (``ModelSpec`` and the padded ``LoopShapes``); the
learning rate, L2 strength, tolerance, patience, class weights and the number of
epochs are run-time arguments (``RunArgs``), so the folds of a cross-validation and
most grid points reuse one compilation.
"""

import time
import warnings
from typing import NamedTuple

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from .._arrays import n_padded_rows
from .._backend import cached_compile, quiet_tensorflow, to_tensors
from .._inputs import input_kind, n_rows
from ._device_data import device_data
from ._divergence import check_not_diverged, watched_fit
from ._losses import LossParams
from ._loop import make_train_chunk
from ._objective import SCORINGS, kernel_mask
from ._optimizers import OPTIMIZERS, flat_state, state_of
from ._schedules import SCHEDULES
from ._types import History, LossArgs, RunArgs, ScoreArgs

MAX_PERMUTATION_ENTRIES = 2**21  # bound on the shuffled indices sent per call
CALL_SECONDS = 0.5  # target duration of one call of the compiled loop


class LoopShapes(NamedTuple):
    """The padded shapes of one compiled loop (part of its cache key)."""

    batch_size: int
    n_rows: int  # all rows, padded
    steps: int  # mini-batch slots of an epoch: n_rows / batch_size, rounded up
    n_validation: int  # validation rows, padded (1: a placeholder)
    capacity: int  # epochs one call can run


class Prepared(NamedTuple):
    """What ``_run_chunks`` calls: the compiled loop, its data and initial state."""

    fn: object
    on_device: object  # DeviceData
    state: dict
    shapes: LoopShapes


class Curves(NamedTuple):
    """What the epochs of a run left: per-epoch values and the final loop state."""

    losses: list
    val_losses: list
    val_scores: list
    n_iter: int
    stopped: bool
    state: dict


def _float32(value):
    from keras import ops

    return ops.convert_to_tensor(np.asarray(value, dtype=np.float32))


def _initial_state(model, optimizer, settings, use_validation):
    from keras import ops

    params = [ops.convert_to_tensor(v.numpy()) for v in model.trainable_variables]
    non_trainable = [ops.convert_to_tensor(v.numpy()) for v in model.non_trainable_variables]
    state = dict(
        params=params, non_trainable=non_trainable,
        slots=OPTIMIZERS[optimizer].init(params), t=_float32(0.0),
        best=_float32(np.inf), no_improvement=ops.convert_to_tensor(np.int32(0)),
        lr=_float32(settings.optimizer.learning_rate), epochs_done=ops.convert_to_tensor(np.int32(0)),
    )
    if use_validation:
        state["best_params"], state["best_non_trainable"] = list(params), list(non_trainable)
    return state


# What partial_fit carries from one call to the next (the weights live in the model).
RESUMABLE = ("slots", "t", "best", "no_improvement", "lr", "epochs_done")


def _to_numpy(value):
    from keras import ops

    return [_to_numpy(v) for v in value] if isinstance(value, list) else ops.convert_to_numpy(value)


def _run_args(settings, n_steps, n_epochs, n_samples, n_outputs):
    from keras import ops

    def int32(value):
        return ops.convert_to_tensor(np.int32(min(value, np.iinfo(np.int32).max)))

    thresholds = np.full(n_outputs, 0.5) if settings.thresholds is None else settings.thresholds
    ones = np.ones(n_outputs)
    loss_params = LossParams(*(_float32(v) for v in (settings.loss_params or LossParams())))
    return RunArgs(
        n_steps=int32(n_steps), n_epochs=int32(n_epochs), n_samples=int32(n_samples),
        tol=_float32(settings.tol), patience=int32(settings.n_iter_no_change),
        loss=LossArgs(pos_weight=_float32(settings.pos_weight), neg_weight=_float32(settings.neg_weight),
                      alpha=_float32(settings.alpha), params=loss_params),
        validation=ScoreArgs(
            pos_weight=_float32(settings.pos_weight if settings.weigh_validation else ones),
            neg_weight=_float32(settings.neg_weight if settings.weigh_validation else ones),
            thresholds=_float32(thresholds), params=loss_params,
            scoring=int32(SCORINGS[settings.scoring]),
        ),
        schedule=int32(SCHEDULES[settings.schedule]), power_t=_float32(settings.power_t),
        optimizer=type(settings.optimizer)(*(_hyper_tensor(v) for v in settings.optimizer)),
    )


def _hyper_tensor(value):
    """A hyper-parameter as a backend scalar: a bool stays a bool (``ops.where`` on it)."""
    from keras import ops

    return ops.convert_to_tensor(value) if isinstance(value, (bool, np.bool_)) else _float32(value)


def _epoch_orders(rng, n, rows, shuffle, epochs, capacity, padded_steps, filler):
    """Sample order of each epoch of a chunk, as rows of the data (``rows``: the ``n``
    training rows, or None for the first ``n``); unused slots point at the zero-weight
    entry ``filler``."""
    perms = np.full((capacity, padded_steps), filler, dtype=np.int32)
    for e in range(epochs):
        order = rng.permutation(n) if shuffle else np.arange(n)
        perms[e, :n] = order if rows is None else rows[order]
    return perms


def train(model, spec, data, settings, resume=None):
    """Train ``model`` in place and return its history.

    Parameters
    ----------
    model : keras.Model
        Built model whose variables hold the initial weights; on return they hold the
        trained weights (the best ones on the validation set with validation data).
    spec : ModelSpec
        Architecture key, template builder, output activation and optimizer.
    data : TrainingData
        Training features, 0/1 targets, sample weights and optional validation data.
    settings : Settings
        Batch size, epochs, shuffling, learning rate, penalty, stopping rule, weights.
    resume : dict or None
        ``History.solver_state`` of a previous call, to continue its optimizer
        state, learning rate and stopping count (``partial_fit``).

    Returns
    -------
    history : History
        The loss curves, the epochs run, whether the stopping rule fired, the best
        losses and what ``resume`` takes (``solver_state``).
    """
    initial_weights = model.get_weights()  # to judge divergence, if it comes to that
    prepared = _prepare(model, spec, data, settings, resume)
    curves = _run_chunks(prepared, data, settings)
    return _finish(model, spec, data, settings, curves, initial_weights)


def _prepare(model, spec, data, settings, resume):
    """Device data, the compiled loop for their padded shapes, and its initial state."""
    n_pad = n_padded_rows(data.X.shape[0])
    batch_size = settings.batch_size
    # Mini-batch slots for all rows, not only the training ones: the padded row count
    # of a fold then decides the shapes alone, whatever its validation split took.
    steps = -(-n_pad // batch_size)
    capacity = int(min(256, max(1, MAX_PERMUTATION_ENTRIES // (steps * batch_size))))
    use_validation = data.validation is not None
    on_device = device_data(data, n_pad)
    shapes = LoopShapes(batch_size, n_pad, steps, n_rows(on_device.X_val), capacity)
    fn = _compiled_chunk(model, spec, shapes, use_validation, data.X)
    state = _initial_state(model, spec.optimizer, settings, use_validation)
    if resume is not None:
        resumed = {k: to_tensors(v) for k, v in resume.items()}
        if "slots" in resumed:
            resumed["slots"] = state_of(spec.optimizer, resumed["slots"], len(state["params"]))
        state.update(resumed)
    return Prepared(fn, on_device, state, shapes)


def _run_chunks(prepared, data, settings):
    """Call the compiled loop until ``max_iter`` epochs or the stopping rule."""
    from keras import ops

    fn, on_device, state, shapes = prepared
    n = data.n_train
    rng = np.random.default_rng(settings.shuffle_seed)
    args = _run_args(settings, -(-n // shapes.batch_size), 1, n, data.Y.shape[1])  # n_epochs per call
    losses, val_losses, val_scores, done, stopped, budget = [], [], [], 0, False, 1
    while done < settings.max_iter and not stopped:
        # Each call runs about CALL_SECONDS of epochs, so Ctrl-C (handled between
        # calls) acts quickly; the first call runs one epoch, as it may compile.
        # With verbose, one epoch per call: each line is printed as its epoch ends.
        epochs = min(shapes.capacity, settings.max_iter - done, 1 if settings.verbose else budget)
        perms = _epoch_orders(rng, n, data.rows, settings.shuffle, epochs, shapes.capacity,
                              shapes.steps * shapes.batch_size, shapes.n_rows)
        args = args._replace(n_epochs=ops.convert_to_tensor(np.int32(epochs)))
        start = time.perf_counter()
        with quiet_tensorflow():
            out = fn(state, on_device,
                     ops.convert_to_tensor(perms.reshape(shapes.capacity, shapes.steps, shapes.batch_size)),
                     args)
        ran = _epochs_ran(out)
        budget = max(1, int(CALL_SECONDS * max(ran, 1) / max(time.perf_counter() - start, 1e-6)))
        losses.extend(ops.convert_to_numpy(out["losses"])[:ran].tolist())
        val_losses.extend(ops.convert_to_numpy(out["val_losses"])[:ran].tolist())
        val_scores.extend(ops.convert_to_numpy(out["val_scores"])[:ran].tolist())
        stopped = bool(ops.convert_to_numpy(out["stopped"]))
        state = {k: out[k] for k in state}
        done += ran
        if settings.verbose:
            validation = (val_losses, val_scores) if data.validation is not None else None
            _print_epochs(losses, validation, done - ran, done)
    return Curves(losses, val_losses, val_scores, done, stopped, state)


def _epochs_ran(out):
    """How many epochs a call ran; waits for the call to end even on Ctrl-C."""
    from keras import ops

    try:
        return int(ops.convert_to_numpy(out["epoch"]))
    except KeyboardInterrupt:  # also the CLI's SIGTERM (_cli._signals.Terminated)
        # Ctrl-C while waiting: JAX still runs the call on its own threads, and a
        # process that exits with it in flight aborts ("terminate called without an
        # active exception"). Let it finish (at most one call) before raising.
        ops.convert_to_numpy(out["epoch"])
        raise


def _finish(model, spec, data, settings, curves, initial_weights):
    """Keep the final (or best) weights, refuse a diverged fit, warn, and report."""
    from keras import ops

    if not np.all(np.isfinite(curves.losses)):
        raise ValueError(
            "Training diverged (the loss is not finite); lower learning_rate_init or scale X."
        )
    use_validation = data.validation is not None
    _assign_final_weights(model, curves.state, use_validation)

    def initial_loss():
        trained = model.get_weights()
        model.set_weights(initial_weights)
        loss = watched_fit(model, data, spec.output_activation)[0]
        model.set_weights(trained)
        return loss

    check_not_diverged(watched_fit(model, data, spec.output_activation), initial_loss,
                       "validation" if use_validation else "training", settings.optimizer.learning_rate)
    if not curves.stopped and not settings.incremental:
        warnings.warn(
            f"Stochastic Optimizer: Maximum iterations ({settings.max_iter}) reached and the "
            "optimization hasn't converged yet.",
            ConvergenceWarning,
        )
    state = curves.state
    watched_best = float(ops.convert_to_numpy(state["best"]))  # a loss, or a negated metric
    history = History(
        loss=curves.losses, n_iter=curves.n_iter, stopped=curves.stopped,
        no_improvement=int(ops.convert_to_numpy(state["no_improvement"])),
        solver_state={k: _to_numpy(flat_state(state[k]) if k == "slots" else state[k]) for k in RESUMABLE},
    )
    if not use_validation:
        return history._replace(best_loss=watched_best)
    best_validation_loss = watched_best
    if settings.scoring != "loss":  # the loss of the epoch with the best score
        best_validation_loss = curves.val_losses[int(np.argmax(curves.val_scores))]
    return history._replace(validation_loss=curves.val_losses, validation_score=curves.val_scores,
                            best_validation_loss=best_validation_loss)


def _compiled_chunk(model, spec, shapes, use_validation, X):
    """The compiled chunk for this model and these padded shapes (cached when keyed).

    Sparse features (rows of ``width`` indices and values) train the built-in MLP's
    twin that reads them directly, or a custom model on densified mini-batches.
    """
    kind = input_kind(X)
    width = kind.width(X)
    key = None if spec.key is None else (
        spec.key, shapes, spec.loss_name, spec.optimizer, use_validation, width, spec.masked, spec.lazy,
    )

    def make():
        built, model_input, lazy_model = model if key is None else spec.build_template(), None, None
        if width is not None:
            on_rows = spec.build_on_rows(width) if spec.build_on_rows else None
            if on_rows is not None:
                built = on_rows
                if spec.lazy:  # its twin on a batch's gathered kernel rows
                    lazy_model = spec.build_on_rows(width, shapes.batch_size * width)
            else:
                model_input = kind.model_input(X.shape[1])
        return make_train_chunk(built, spec.loss_name, spec.optimizer, kernel_mask(built),
                                use_validation, spec.masked, model_input, lazy_model)

    return cached_compile(key, make, autograph=spec.needs_autograph)


def _assign_final_weights(model, state, use_validation):
    final = ("best_params", "best_non_trainable") if use_validation else ("params", "non_trainable")
    for variables, values in zip((model.trainable_variables, model.non_trainable_variables), final):
        for variable, value in zip(variables, state[values]):
            variable.assign(value)


def _print_epochs(losses, validation, start, stop):
    """MLPClassifier's verbose lines, plus the validation loss the stopping rule watches."""
    for i in range(start, stop):
        extra = f", validation loss = {validation[0][i]:.8f}" if validation is not None else ""
        print(f"Iteration {i + 1}, loss = {losses[i]:.8f}{extra}", flush=True)
        if validation is not None:
            print(f"Validation score: {validation[1][i]:f}", flush=True)
