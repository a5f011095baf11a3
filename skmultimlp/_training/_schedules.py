"""When to stop and how the learning rate moves: MLPClassifier's rules, compiled.

Both run once per epoch inside the compiled loop; their settings are run-time codes
(``SCHEDULES``), so a grid over them does not recompile.
"""

# Learning-rate schedules (MLPClassifier's ``learning_rate``, used with ``sgd``).
CONSTANT, INVSCALING, ADAPTIVE = 0, 1, 2
SCHEDULES = {"constant": CONSTANT, "invscaling": INVSCALING, "adaptive": ADAPTIVE}
MIN_ADAPTIVE_LEARNING_RATE = 1e-6  # MLPClassifier stops instead of dividing below this


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
    invscaled = args.optimizer.learning_rate / ops.power(samples_seen + 1.0, args.power_t)
    lr = ops.where(args.schedule == INVSCALING, invscaled, lr)
    reduce = ops.logical_and(
        ops.logical_and(exceeded, args.schedule == ADAPTIVE), lr > MIN_ADAPTIVE_LEARNING_RATE
    )
    return ops.where(reduce, lr / 5.0, lr), ops.logical_and(exceeded, ops.logical_not(reduce)), reduce
