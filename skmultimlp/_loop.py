"""The compiled part of training: pure functions of tensors, one fit in one call.

``make_train_chunk`` returns the function that ``_backend`` compiles: a
``while_loop`` over epochs (each a ``fori_loop`` over mini-batch ``step`` calls, then
the ``stopping_rule``). The model is used through ``stateless_call``, so the
function is pure: weights, optimizer slots, dropout seed state and the
early-stopping bookkeeping are all loop state. The stopping rule is evaluated once
per epoch inside the loop, exactly as ``MLPClassifier`` does between epochs.
"""

from typing import NamedTuple

from ._backend import value_and_grad
from ._losses import EPSILON, LOSSES, per_row_loss
from ._optimizers import OPTIMIZERS, Hyper


# Learning-rate schedules (MLPClassifier's ``learning_rate``, used with ``sgd``).
CONSTANT, INVSCALING, ADAPTIVE = 0, 1, 2
SCHEDULES = {"constant": CONSTANT, "invscaling": INVSCALING, "adaptive": ADAPTIVE}
# What early stopping watches (the estimator's ``scoring``): a run-time code, so a grid
# over it does not recompile. "loss" watches the validation loss; the others a metric
# of the thresholded validation predictions (higher is better).
SCORINGS = {"loss": 0, "accuracy": 1, "f1_micro": 2, "f1_macro": 3, "f1_samples": 4}
MIN_ADAPTIVE_LEARNING_RATE = 1e-6  # MLPClassifier stops instead of dividing below this


class RunArgs(NamedTuple):
    """The run-time arguments of one compiled call, as backend tensors."""

    n_steps: object
    n_epochs: object
    n_samples: object  # training rows, for the invscaling schedule
    alpha: object
    tol: object
    patience: object
    pos_weight: object
    neg_weight: object
    loss_params: object  # a _losses.LossParams of scalars
    val_pos_weight: object  # class weights of the validation loss (see Settings)
    val_neg_weight: object
    thresholds: object  # of the validation score (as ``predict``)
    schedule: object  # CONSTANT, INVSCALING or ADAPTIVE
    learning_rate_init: object
    power_t: object
    momentum: object
    nesterov: object
    beta_1: object
    beta_2: object
    epsilon: object
    scoring: object  # a value of SCORINGS


class DeviceData(NamedTuple):
    """Padded training and validation data, as backend tensors."""

    X: object
    Y: object
    W: object
    X_val: object
    Y_val: object
    W_val: object


def stopping_rule(watched, best, no_improvement, tol, patience):
    """``MLPClassifier._update_no_improvement_count`` on a loss (lower is better).

    Returns the new best loss, the new count of epochs without improvement, whether
    this epoch improved on the best, and whether the count exceeds ``patience``.
    """
    from keras import ops

    stalled = watched > best - tol
    improved = watched < best
    no_improvement = ops.where(stalled, no_improvement + 1, 0)
    return ops.where(improved, watched, best), no_improvement, improved, no_improvement > patience


def next_learning_rate(lr, exceeded, epochs_done, args):
    """MLPClassifier's SGD schedules at the end of an epoch; returns (lr, stop, reduced).

    ``invscaling``: ``learning_rate_init / (samples_seen + 1) ** power_t``.
    ``adaptive``: when the stopping count is exceeded, divide by 5 and go on,
    unless the rate is already at most 1e-6. Otherwise an exceeded count stops.
    """
    from keras import ops

    samples_seen = ops.cast(epochs_done, "float32") * ops.cast(args.n_samples, "float32")
    invscaled = args.learning_rate_init / ops.power(samples_seen + 1.0, args.power_t)
    lr = ops.where(args.schedule == INVSCALING, invscaled, lr)
    reduce = ops.logical_and(
        ops.logical_and(exceeded, args.schedule == ADAPTIVE), lr > MIN_ADAPTIVE_LEARNING_RATE
    )
    return ops.where(reduce, lr / 5.0, lr), ops.logical_and(exceeded, ops.logical_not(reduce)), reduce


def make_losses(model, loss_name, kernel_mask, masked=False, model_input=None):
    """``batch_loss`` (penalised, for gradients) and ``dataset_scores`` (for validation).

    ``masked``: the targets have unknown entries (``_losses.per_row_loss``); they are
    left out of the losses and of the validation accuracy. ``model_input(x)``, when
    given, turns the stored features into the model's input (sparse rows densified
    for a custom model).
    """
    from keras import ops

    model_input = model_input or (lambda x: x)

    # Keras' binary cross-entropy is the mean over the labels, MLPClassifier's the sum.
    # Dividing the penalty by the number of sigmoid outputs makes the objective
    # MLPClassifier's divided by that number: the same minimiser, so ``alpha`` means
    # the same for 3 labels or 300 (softmax and single-output losses are one term).
    n_terms = loss_terms(model, loss_name)
    # The validation loss is the plain cross-entropy whatever the training loss, so that
    # focal or asymmetric weighting does not change which epoch early stopping keeps.
    validation_loss = "binary_crossentropy" if LOSSES[loss_name].reduce == "mean" else loss_name

    # An ensemble's training twin (``_ensemble``) outputs (batch, K, labels).
    n_members = int(model.outputs[0].shape[1]) if len(model.outputs[0].shape) == 3 else 1

    # Losses are normalised by the sum of sample weights, as MLPClassifier does: with
    # unit weights this is Keras' mean over the batch, and weighting a sample by 2 is
    # the same as repeating it. Padding rows have weight 0.
    def batch_loss(params, non_trainable, x, y, w, pos_w, neg_w, alpha, loss_params=None):
        out, non_trainable = model.stateless_call(params, non_trainable, model_input(x), training=True)
        if n_members > 1:  # each member's loss, summed: (batch, K) -> (batch,)
            y = ops.expand_dims(y, 1)
        rows = per_row_loss(loss_name, y, out, pos_w, neg_w, loss_params, masked)
        if n_members > 1:
            rows = ops.sum(rows, axis=1)
        penalty = sum(ops.sum(ops.square(p)) for p, k in zip(params, kernel_mask) if k)
        total_weight = ops.maximum(ops.sum(w), EPSILON)
        objective = (ops.sum(rows * w) + 0.5 * alpha * penalty / n_terms) / total_weight
        if n_members > 1:
            # The sum of the members' objectives gives each member exactly the gradient
            # of a lone fit (they share no weight); its value is reported as their
            # mean, so that loss_curve_ and ``tol`` mean what they mean for one network.
            objective = objective - ops.stop_gradient(objective) * (1.0 - 1.0 / n_members)
        return objective, non_trainable

    def dataset_scores(params, non_trainable, x, y, w, pos_w, neg_w, thresholds, loss_params=None,
                       scoring=None):
        """Weighted loss and score: subset accuracy (``score``), or the ``scoring`` metric."""
        def row_scores(x, y):
            """Each row's loss, whether it is right, and its 0/1 predictions (uint8)."""
            out = model.stateless_call(params, non_trainable, model_input(x), training=False)[0]
            if n_members > 1:  # early stopping watches the averaged prediction
                out = ops.mean(out, axis=1)
            rows = per_row_loss(validation_loss, y, out, pos_w, neg_w, loss_params, masked)
            if loss_name == "categorical_crossentropy":
                right = ops.argmax(out, axis=-1) == ops.argmax(y, axis=-1)
                return rows, right, ops.one_hot(ops.argmax(out, axis=-1), out.shape[-1], dtype="uint8")
            predicted = ops.cast(out >= thresholds, "uint8")
            agree = predicted == y
            return rows, ops.all(ops.logical_or(agree, y > 1) if masked else agree, axis=-1), predicted

        rows, right, predicted = in_row_chunks(row_scores, x, y)
        total_weight = ops.maximum(ops.sum(w), EPSILON)
        if masked and loss_name != "categorical_crossentropy":
            # unknown entries count as neither true nor predicted positives
            known = ops.cast(y <= 1, "uint8")
            predicted, y = predicted * known, y * known
        accuracy = ops.sum(ops.cast(right, "float32") * w) / total_weight
        if scoring is not None:
            # cond, not where: a score the stopping rule does not watch is not computed
            accuracy = ops.cond(scoring <= SCORINGS["accuracy"], lambda: accuracy,
                                lambda: f1_scores(predicted, y, w, total_weight, scoring))
        return ops.sum(rows * w) / total_weight, accuracy

    return batch_loss, dataset_scores


VALIDATION_ROWS_PER_CHUNK = 4096  # sparse validation rows scored at a time


def in_row_chunks(row_scores, x, y):
    """``row_scores(x, y)`` of all rows; for many sparse rows, chunk after chunk.

    Every intermediate of a forward pass on all the validation rows at once is
    ``n_val x n_outputs`` floats (about six of them live together, 0.5 GiB for 100,000
    rows of 200 labels); only the per-row results are kept here. The chunks are equal
    halvings of the rows (padded validation sizes are ``m * 2**k``, ``m < 16``), at most
    ``VALIDATION_ROWS_PER_CHUNK`` rows. Dense rows are scored at once: their features
    are the larger array anyway.
    """
    from keras import ops

    n = size = y.shape[0]
    while size > VALIDATION_ROWS_PER_CHUNK and size % 2 == 0:
        size //= 2
    if not isinstance(x, tuple) or size == n or size > VALIDATION_ROWS_PER_CHUNK:
        return row_scores(x, y)

    def rows_of(a, start):
        return ops.slice(a, (start,) + (0,) * (a.ndim - 1), (size,) + tuple(a.shape[1:]))

    def chunk(i, results):
        start = i * size
        scores = row_scores(tuple(rows_of(a, start) for a in x), rows_of(y, start))
        return tuple(ops.slice_update(r, (start,) + (0,) * (r.ndim - 1), s)
                     for r, s in zip(results, scores))

    results = (ops.zeros((n,), "float32"), ops.zeros((n,), "bool"), ops.zeros(y.shape, "uint8"))
    return ops.fori_loop(0, n // size, chunk, results)


def _f1(tp, predicted_and_true):
    """F1 from (weighted) counts; 0 where there is neither a true nor a predicted positive."""
    from keras import ops

    return ops.where(predicted_and_true > 0, 2.0 * tp / ops.maximum(predicted_and_true, EPSILON), 0.0)


def f1_scores(predicted, y, w, total_weight, scoring):
    """F1-micro, -macro or -samples (``scoring``'s code) of 0/1 predictions, sample-weighted.

    scikit-learn's ``f1_score`` with ``zero_division=0``; padding rows have weight 0.
    """
    from keras import ops

    predicted, y = ops.cast(predicted, "float32"), ops.cast(y, "float32")
    weights = ops.expand_dims(w, -1)
    tp = ops.sum(predicted * y * weights, axis=0)
    both = ops.sum((predicted + y) * weights, axis=0)  # predicted + true positives per label
    micro = _f1(ops.sum(tp), ops.sum(both))
    macro = ops.mean(_f1(tp, both))
    per_row = _f1(ops.sum(predicted * y, axis=-1), ops.sum(predicted + y, axis=-1))
    samples = ops.sum(per_row * w) / total_weight
    return ops.where(scoring == SCORINGS["f1_micro"], micro,
                     ops.where(scoring == SCORINGS["f1_macro"], macro, samples))


def loss_terms(model, loss_name):
    """How many terms a row's loss averages: the sigmoid outputs, or 1 (softmax).

    The objective is MLPClassifier's (summed over the labels) divided by this.
    """
    return int(model.outputs[0].shape[-1]) if LOSSES[loss_name].reduce == "mean" else 1


def make_step(batch_loss, optimizer, grad_fn, data, perms, args, lazy=False):
    """One mini-batch update: ``step(s, carry) -> carry`` for ``fori_loop``.

    ``lazy``: sparse rows update only the first-layer rows of the batch's columns
    (``_lazy``); ``batch_loss`` is then that of the model on the gathered rows.
    """
    from keras import ops

    from ._lazy import gather_first_layer, lazy_update

    def step(s, carry):
        params, nt, slots, t, total, e, lr = carry
        idx = perms[e, s]  # entries past the epoch's samples point at W's zero tail
        w = ops.take(data.W, idx, axis=0)
        rows = ops.minimum(idx, data.Y.shape[0] - 1)
        x, inputs, touched = take_rows(data.X, rows), params, None
        if lazy:
            inputs, x, touched = gather_first_layer(params, x, w)
        (loss, nt), grads = grad_fn(
            batch_loss, inputs, nt, x, ops.take(data.Y, rows, axis=0),
            w, args.pos_weight, args.neg_weight, args.alpha, args.loss_params,
        )
        t = t + 1.0
        hyper = Hyper(lr, args.momentum, args.nesterov, args.beta_1, args.beta_2, args.epsilon)
        if lazy:
            params, slots = lazy_update(optimizer, params, grads, slots, t, hyper, touched)
        else:
            params, slots = optimizer.update(params, grads, slots, t, hyper)
        return params, nt, slots, t, total + loss * ops.sum(w), e, lr

    return step


def take_rows(x, rows):
    """Rows of dense features, or of sparse ones given as ``(indices, values)``."""
    from keras import ops

    if isinstance(x, tuple):
        return tuple(ops.take(a, rows, axis=0) for a in x)
    return ops.take(x, rows, axis=0)


def make_epoch(step, dataset_scores, use_validation, data, args, capacity):
    """One epoch then the stopping rule: ``epoch(carry) -> (carry,)`` for ``while_loop``."""
    from keras import ops

    def epoch(carry):
        e = carry["epoch"]
        params, nt, slots, t, total, _, _ = ops.fori_loop(
            0, args.n_steps, step,
            (carry["params"], carry["non_trainable"], carry["slots"], carry["t"],
             ops.zeros((), "float32"), e, carry["lr"]),
        )
        train_loss = total / ops.maximum(ops.sum(data.W), EPSILON)
        if use_validation:
            val_loss, val_score = dataset_scores(params, nt, data.X_val, data.Y_val, data.W_val,
                                                 args.val_pos_weight, args.val_neg_weight,
                                                 args.thresholds, args.loss_params, args.scoring)
            # A metric is better when higher: the stopping rule minimises its negative.
            watched = ops.where(args.scoring == SCORINGS["loss"], val_loss, -val_score)
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


def kernel_mask(model):
    """Which trainable variables are kernels (the L2 penalty applies to those only)."""
    return [v.path.endswith("kernel") for v in model.trainable_variables]
