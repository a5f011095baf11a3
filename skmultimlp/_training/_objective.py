"""The objective both solvers minimise, and the validation scores early stopping watches.

``make_losses`` gives the penalised batch loss (MLPClassifier's objective divided by
the number of sigmoid outputs) and the weighted validation loss and score; the
scores (subset accuracy, F1 averages) are chosen by a run-time code (``SCORINGS``).
"""

from .._inputs import SparseRows, slice_rows
from ._losses import EPSILON, LOSSES, per_row_loss

# What early stopping watches (the estimator's ``scoring``): a run-time code, so a grid
# over it does not recompile. "loss" watches the validation loss; the others a metric
# of the thresholded validation predictions (higher is better).
SCORINGS = {"loss": 0, "accuracy": 1, "f1_micro": 2, "f1_macro": 3, "f1_samples": 4}


def make_losses(model, loss_name, kernel_mask, masked=False, model_input=None):
    """``batch_loss`` (penalised, for gradients) and ``dataset_scores`` (for validation).

    ``masked``: the targets have unknown entries (``_losses.per_row_loss``); they are
    left out of the losses and of the validation accuracy. ``model_input(x)``, when
    given, turns the stored features into the model's input (sparse rows densified
    for a custom model).
    """
    from keras import ops

    model_input = model_input or _as_model_input

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
    def batch_loss(params, non_trainable, batch, args):
        """The penalised loss of a ``Batch`` with ``LossArgs``, and the new non-trainables."""
        x, y, w = batch
        out, non_trainable = model.stateless_call(params, non_trainable, model_input(x), training=True)
        if n_members > 1:  # each member's loss, summed: (batch, K) -> (batch,)
            y = ops.expand_dims(y, 1)
        rows = per_row_loss(loss_name, y, out, args.pos_weight, args.neg_weight, args.params, masked)
        if n_members > 1:
            rows = ops.sum(rows, axis=1)
        penalty = sum(ops.sum(ops.square(p)) for p, k in zip(params, kernel_mask) if k)
        total_weight = ops.maximum(ops.sum(w), EPSILON)
        objective = (ops.sum(rows * w) + 0.5 * args.alpha * penalty / n_terms) / total_weight
        if n_members > 1:
            # The sum of the members' objectives gives each member exactly the gradient
            # of a lone fit (they share no weight); its value is reported as their
            # mean, so that loss_curve_ and ``tol`` mean what they mean for one network.
            objective = objective - ops.stop_gradient(objective) * (1.0 - 1.0 / n_members)
        return objective, non_trainable

    def dataset_scores(params, non_trainable, batch, args):
        """Weighted loss and score of a ``Batch`` with ``ScoreArgs``: subset accuracy, or the
        ``args.scoring`` metric."""
        x, y, w = batch
        def row_scores(x, y):
            """Each row's loss, whether it is right, and its 0/1 predictions (uint8)."""
            out = model.stateless_call(params, non_trainable, model_input(x), training=False)[0]
            if n_members > 1:  # early stopping watches the averaged prediction
                out = ops.mean(out, axis=1)
            rows = per_row_loss(validation_loss, y, out, args.pos_weight, args.neg_weight, args.params, masked)
            if loss_name == "categorical_crossentropy":
                right = ops.argmax(out, axis=-1) == ops.argmax(y, axis=-1)
                return rows, right, ops.one_hot(ops.argmax(out, axis=-1), out.shape[-1], dtype="uint8")
            predicted = ops.cast(out >= args.thresholds, "uint8")
            agree = predicted == y
            return rows, ops.all(ops.logical_or(agree, y > 1) if masked else agree, axis=-1), predicted

        rows, right, predicted = in_row_chunks(row_scores, x, y)
        total_weight = ops.maximum(ops.sum(w), EPSILON)
        if masked and loss_name != "categorical_crossentropy":
            # unknown entries count as neither true nor predicted positives
            known = ops.cast(y <= 1, "uint8")
            predicted, y = predicted * known, y * known
        accuracy = ops.sum(ops.cast(right, "float32") * w) / total_weight
        # cond, not where: a score the stopping rule does not watch is not computed
        accuracy = ops.cond(args.scoring <= SCORINGS["accuracy"], lambda: accuracy,
                            lambda: f1_scores(predicted, y, w, total_weight, args.scoring))
        return ops.sum(rows * w) / total_weight, accuracy

    return batch_loss, dataset_scores


def _as_model_input(x):
    """Stored rows as the built-in model takes them (``SparseRows`` as a plain pair)."""
    return tuple(x) if isinstance(x, SparseRows) else x


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
    if not isinstance(x, SparseRows) or size == n or size > VALIDATION_ROWS_PER_CHUNK:
        return row_scores(x, y)

    def chunk(i, results):
        start = i * size
        scores = row_scores(slice_rows(x, start, size), slice_rows(y, start, size))
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


def kernel_mask(model):
    """Which trainable variables are kernels (the L2 penalty applies to those only)."""
    return [v.path.endswith("kernel") for v in model.trainable_variables]
