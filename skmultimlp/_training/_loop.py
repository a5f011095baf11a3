"""The compiled part of training: pure functions of tensors, one fit in one call.

``make_train_chunk`` returns the function that ``_backend`` compiles: a
``while_loop`` over epochs (each a ``fori_loop`` over mini-batch ``step`` calls, then
the ``stopping_rule``). The model is used through ``stateless_call``, so the
function is pure: weights, optimizer slots, dropout seed state and the
early-stopping bookkeeping are all loop state. The stopping rule is evaluated once
per epoch inside the loop, exactly as ``MLPClassifier`` does between epochs.
"""

from typing import NamedTuple

from .._backend import value_and_grad
from .._inputs import take_rows
from ._lazy import gather_first_layer, lazy_update
from ._losses import EPSILON
from ._objective import SCORINGS, make_losses
from ._optimizers import OPTIMIZERS
from ._schedules import next_learning_rate, stopping_rule
from ._types import Batch


class StepCarry(NamedTuple):
    """What one mini-batch step passes to the next (``fori_loop``'s carry)."""

    params: list
    non_trainable: list
    slots: object  # the optimizer's state
    t: object  # steps taken (Adam's bias correction)
    total: object  # the epoch's summed weighted loss so far
    epoch: object  # index of the epoch in this call (its row of the shuffled orders)
    learning_rate: object


def make_step(batch_loss, optimizer, grad_fn, data, perms, args, lazy=False):
    """One mini-batch update: ``step(s, carry) -> carry`` for ``fori_loop``.

    ``lazy``: sparse rows update only the first-layer rows of the batch's columns
    (``_lazy``); ``batch_loss`` is then that of the model on the gathered rows.
    """
    from keras import ops

    def step(s, carry):
        idx = perms[carry.epoch, s]  # entries past the epoch's samples point at W's zero tail
        w = ops.take(data.W, idx, axis=0)
        rows = ops.minimum(idx, data.Y.shape[0] - 1)
        x, inputs, touched = take_rows(data.X, rows), carry.params, None
        if lazy:
            inputs, x, touched = gather_first_layer(carry.params, x, w)
        batch = Batch(x, ops.take(data.Y, rows, axis=0), w)
        (loss, non_trainable), grads = grad_fn(batch_loss, inputs, carry.non_trainable, batch, args.loss)
        t = carry.t + 1.0
        hyper = args.optimizer._replace(learning_rate=carry.learning_rate)
        if lazy:
            params, slots = lazy_update(optimizer, carry.params, grads, carry.slots, t, hyper, touched)
        else:
            params, slots = optimizer.update(carry.params, grads, carry.slots, t, hyper)
        return carry._replace(params=params, non_trainable=non_trainable, slots=slots, t=t,
                              total=carry.total + loss * ops.sum(w))

    return step


def make_epoch(step, dataset_scores, use_validation, data, args, capacity):
    """One epoch then the stopping rule: ``epoch(carry) -> (carry,)`` for ``while_loop``."""
    from keras import ops

    def epoch(carry):
        e = carry["epoch"]
        steps = ops.fori_loop(0, args.n_steps, step, StepCarry(
            carry["params"], carry["non_trainable"], carry["slots"], carry["t"],
            ops.zeros((), "float32"), e, carry["lr"],
        ))
        params, nt, slots, t = steps.params, steps.non_trainable, steps.slots, steps.t
        train_loss = steps.total / ops.maximum(ops.sum(data.W), EPSILON)
        if use_validation:
            val_loss, val_score = dataset_scores(params, nt, Batch(data.X_val, data.Y_val, data.W_val),
                                                 args.validation)
            # A metric is better when higher: the stopping rule minimises its negative.
            watched = ops.where(args.validation.scoring == SCORINGS["loss"], val_loss, -val_score)
        else:
            val_loss = val_score = ops.zeros((), "float32")
            watched = train_loss
        best, no_improvement, improved, exceeded = stopping_rule(
            watched, carry["best"], carry["no_improvement"], args.tol, args.patience
        )
        epochs_done = carry["epochs_done"] + 1
        lr, stopped, reduced = next_learning_rate(carry["lr"], exceeded, epochs_done, args)
        at_e = ops.arange(capacity) == e
        new = dict(
            params=params, non_trainable=nt, slots=slots, t=t, best=best,
            no_improvement=ops.where(reduced, 0, no_improvement), lr=lr, epochs_done=epochs_done,
            stopped=stopped, epoch=e + 1,
            losses=ops.where(at_e, train_loss, carry["losses"]),
            val_losses=ops.where(at_e, val_loss, carry["val_losses"]),
            val_scores=ops.where(at_e, val_score, carry["val_scores"]),
        )
        if use_validation:
            new["best_params"] = [ops.where(improved, p, b) for p, b in zip(params, carry["best_params"])]
            new["best_non_trainable"] = [
                ops.where(improved, p, b) for p, b in zip(nt, carry["best_non_trainable"])
            ]
        return (new,)

    return epoch


def make_train_chunk(model, loss_name, optimizer, kernel_mask, use_validation, masked=False,
                     model_input=None, lazy_model=None):
    """Return the (uncompiled) function that runs up to ``capacity`` epochs.

    Parameters
    ----------
    model : keras.Model
        Used only through ``stateless_call``; its own weights are never read.
    loss_name : str
        A key of ``_losses.LOSSES``.
    optimizer : str
        A key of ``_optimizers.OPTIMIZERS``.
    kernel_mask : list of bool
        Which trainable variables are kernels (L2-penalised, as MLPClassifier).
    use_validation : bool
        Whether the stopping rule watches a validation loss (``early_stopping``).
    masked : bool, default=False
        Whether the targets have unknown entries, left out of the losses.
    model_input : callable or None
        Turns stored features into the model's input (see ``make_losses``).
    lazy_model : keras.Model or None
        The twin of ``model`` whose first layer reads a batch's gathered kernel rows
        (``_lazy``): the steps then update only those rows of the first layer.
    """
    import keras
    from keras import ops

    grad_fn = value_and_grad(keras.backend.backend())
    batch_loss, dataset_scores = make_losses(model, loss_name, kernel_mask, masked, model_input)
    if lazy_model is not None:
        batch_loss = make_losses(lazy_model, loss_name, kernel_mask, masked)[0]

    def chunk(state, data, perms, args):
        capacity = perms.shape[0]
        step = make_step(batch_loss, OPTIMIZERS[optimizer], grad_fn, data, perms, args,
                         lazy=lazy_model is not None)
        epoch = make_epoch(step, dataset_scores, use_validation, data, args, capacity)

        def running(carry):
            return ops.logical_and(carry["epoch"] < args.n_epochs, ops.logical_not(carry["stopped"]))

        carry = dict(
            state,
            epoch=ops.zeros((), "int32"),
            stopped=ops.zeros((), "bool"),
            losses=ops.zeros((capacity,), "float32"),
            val_losses=ops.zeros((capacity,), "float32"),
            val_scores=ops.zeros((capacity,), "float32"),
        )
        return ops.while_loop(running, epoch, (carry,))[0]

    return chunk
