"""Training on the host: specs, data preparation, and the driver ``train``.

``train`` puts the data on the device (``_device_data``), fetches the compiled loop of ``_loop`` (from the cache of
``_backend``) and calls it in chunks of epochs, collecting the loss curves. What
keys the compile cache is static (``ModelSpec`` and the padded shapes); the
learning rate, L2 strength, tolerance, patience, class weights and the number of
epochs are run-time arguments (``_loop.RunArgs``), so the folds of a
cross-validation and most grid points reuse one compilation.
"""

import functools
import time
import warnings
from typing import Callable, Hashable, NamedTuple, Optional

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state

from ._backend import cached_compile, quiet_tensorflow
from ._device_data import MAX_PADDED_ROWS, device_data, padded_size, to_tensors
from ._losses import EPSILON, LOSS_OF_OUTPUT, LossParams
from ._loop import SCHEDULES, SCORINGS, RunArgs, kernel_mask, make_train_chunk
from ._optimizers import OPTIMIZERS
from ._sparse import densify

MAX_PERMUTATION_ENTRIES = 2**21  # bound on the shuffled indices sent per call
CALL_SECONDS = 0.5  # target duration of one call of the compiled loop
DIVERGENCE_CHECK_ROWS = 2048
DIVERGENCE_CHECK_ENTRIES = 2**21
MIN_DIVERGENCE_ROWS = 30


class ModelSpec(NamedTuple):
    """What is trained, and how: the static part of the compile-cache key."""

    key: Optional[Hashable]  # architecture key; None compiles without caching
    build_template: Callable  # returns a model of the same architecture (on a cache miss)
    output_activation: str  # "sigmoid" or "softmax"
    optimizer: str  # a key of ``_optimizers.OPTIMIZERS``
    loss: str = "binary_crossentropy"  # of sigmoid outputs; a softmax uses categorical
    build_on_rows: Optional[Callable] = None  # width -> the model on sparse rows, or None
    masked: bool = False  # targets with unknown entries (_targets.UNKNOWN), left out of the loss
    lazy: bool = False  # sparse rows: update only the first-layer rows of each batch (_lazy)

    @property
    def loss_name(self):
        """The key of ``_losses.LOSSES`` this model trains with."""
        return self.loss if self.output_activation == "sigmoid" else LOSS_OF_OUTPUT["softmax"]

    @property
    def is_custom(self):
        """Whether this trains a custom ``model`` (whose code may need TensorFlow's autograph)."""
        return self.key is None or self.key[0] == "custom"


class TrainingData(NamedTuple):
    X: object  # features (n, n_features): a dense array or a CSR matrix, as the user gave them
    Y: np.ndarray  # uint8 0/1 targets (n, n_outputs); _targets.UNKNOWN where unknown
    W: np.ndarray  # float32 sample weights (n,)
    validation: Optional[tuple]  # (X_val, Y_val, W_val) for early stopping, or None
    rows: Optional[np.ndarray] = None  # the training rows of X, Y, W, in order; None: all

    @property
    def n_train(self):
        return self.X.shape[0] if self.rows is None else len(self.rows)


class Settings(NamedTuple):
    """Run-time settings: changing them never recompiles (MLPClassifier's meanings)."""

    batch_size: int
    max_iter: int
    shuffle: bool
    shuffle_seed: int
    learning_rate: float  # learning_rate_init
    alpha: float
    tol: float
    n_iter_no_change: float  # may be np.inf
    pos_weight: np.ndarray
    neg_weight: np.ndarray
    verbose: int = 0
    schedule: str = "constant"  # a key of _loop.SCHEDULES (sgd only)
    power_t: float = 0.5
    momentum: float = 0.9
    nesterov: bool = True
    beta_1: float = 0.9
    beta_2: float = 0.999
    epsilon: float = 1e-8
    thresholds: Optional[np.ndarray] = None  # of the validation score; default 0.5
    incremental: bool = False  # partial_fit: no ConvergenceWarning
    # Multi-label class weights shift the loss toward rare labels: a validation loss
    # weighted the same way would keep a near-untrained epoch, so it is unweighted.
    # Binary and multiclass class weights (scikit-learn's) weigh it too.
    weigh_validation: bool = True
    loss_params: Optional[LossParams] = None  # hyper-parameters of focal/asymmetric losses
    scoring: str = "loss"  # what early stopping watches: a key of _loop.SCORINGS


def draw_seeds(random_state):
    """Three independent integer seeds: model (weights and dropout), shuffling, validation split.

    ``None`` draws fresh entropy without touching NumPy's global generator.
    """
    if random_state is None:
        return np.random.default_rng().integers(0, 2**31 - 1, size=3)
    return check_random_state(random_state).randint(0, 2**31 - 1, size=3)


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
        lr=_float32(settings.learning_rate), epochs_done=ops.convert_to_tensor(np.int32(0)),
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
    return RunArgs(
        n_steps=int32(n_steps), n_epochs=int32(n_epochs), n_samples=int32(n_samples),
        alpha=_float32(settings.alpha), tol=_float32(settings.tol),
        patience=int32(settings.n_iter_no_change),
        pos_weight=_float32(settings.pos_weight), neg_weight=_float32(settings.neg_weight),
        val_pos_weight=_float32(settings.pos_weight if settings.weigh_validation else ones),
        val_neg_weight=_float32(settings.neg_weight if settings.weigh_validation else ones),
        loss_params=LossParams(*(_float32(v) for v in (settings.loss_params or LossParams()))),
        thresholds=_float32(thresholds), schedule=int32(SCHEDULES[settings.schedule]),
        learning_rate_init=_float32(settings.learning_rate), power_t=_float32(settings.power_t),
        momentum=_float32(settings.momentum), nesterov=ops.convert_to_tensor(bool(settings.nesterov)),
        beta_1=_float32(settings.beta_1), beta_2=_float32(settings.beta_2),
        epsilon=_float32(settings.epsilon), scoring=int32(SCORINGS[settings.scoring]),
    )


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
        ``history["solver_state"]`` of a previous call, to continue its optimizer
        state, learning rate and stopping count (``partial_fit``).

    Returns
    -------
    history : dict
        ``loss`` (per epoch), ``val_loss`` (with validation), ``n_iter``,
        ``stopped`` (the stopping rule fired), ``best`` (best watched loss),
        ``no_improvement`` (the stopping count) and ``solver_state`` (NumPy copies
        of what ``resume`` takes).
    """
    from keras import ops

    n, n_rows = data.n_train, data.X.shape[0]
    batch_size = settings.batch_size
    n_pad = padded_size(n_rows) if n_rows <= MAX_PADDED_ROWS else n_rows
    # Mini-batch slots for all rows, not only the training ones: the padded row count
    # of a fold then decides the shapes alone, whatever its validation split took.
    steps_max = -(-n_pad // batch_size)
    capacity = int(min(256, max(1, MAX_PERMUTATION_ENTRIES // (steps_max * batch_size))))
    use_validation = data.validation is not None
    on_device = device_data(data, n_pad)
    sparse_width = on_device.X[0].shape[1] if isinstance(on_device.X, tuple) else None
    fn = _compiled_chunk(model, spec, (batch_size, n_pad, steps_max, _rows(on_device.X_val), capacity),
                         use_validation, sparse_width, data.X.shape[1])
    state = _initial_state(model, spec.optimizer, settings, use_validation)
    if resume is not None:
        state.update({k: to_tensors(v) for k, v in resume.items()})
    initial_weights = model.get_weights()  # to judge divergence, if it comes to that

    rng = np.random.default_rng(settings.shuffle_seed)
    args = _run_args(settings, -(-n // batch_size), 1, n, data.Y.shape[1])  # n_epochs per call
    losses, val_losses, val_scores, done, stopped, budget = [], [], [], 0, False, 1
    while done < settings.max_iter and not stopped:
        # Each call runs about CALL_SECONDS of epochs, so Ctrl-C (handled between
        # calls) acts quickly; the first call runs one epoch, as it may compile.
        # With verbose, one epoch per call: each line is printed as its epoch ends.
        epochs = min(capacity, settings.max_iter - done, 1 if settings.verbose else budget)
        perms = _epoch_orders(rng, n, data.rows, settings.shuffle, epochs, capacity,
                              steps_max * batch_size, n_pad)
        args = args._replace(n_epochs=ops.convert_to_tensor(np.int32(epochs)))
        start = time.perf_counter()
        with quiet_tensorflow():
            out = fn(state, on_device,
                     ops.convert_to_tensor(perms.reshape(capacity, steps_max, batch_size)), args)
        try:
            ran = int(ops.convert_to_numpy(out["epoch"]))
        except KeyboardInterrupt:  # also the CLI's SIGTERM (_cli._signals.Terminated)
            # Ctrl-C while waiting: JAX still runs the call on its own threads, and a
            # process that exits with it in flight aborts ("terminate called without an
            # active exception"). Let it finish (at most one call) before raising.
            ops.convert_to_numpy(out["epoch"])
            raise
        budget = max(1, int(CALL_SECONDS * max(ran, 1) / max(time.perf_counter() - start, 1e-6)))
        losses.extend(ops.convert_to_numpy(out["losses"])[:ran].tolist())
        val_losses.extend(ops.convert_to_numpy(out["val_losses"])[:ran].tolist())
        val_scores.extend(ops.convert_to_numpy(out["val_scores"])[:ran].tolist())
        stopped = bool(ops.convert_to_numpy(out["stopped"]))
        state = {k: out[k] for k in state}
        done += ran
        if settings.verbose:
            _print_epochs(losses, (val_losses, val_scores) if use_validation else None, done - ran, done)

    if not np.all(np.isfinite(losses)):
        raise ValueError(
            "Training diverged (the loss is not finite); lower learning_rate_init or scale X."
        )
    _assign_final_weights(model, state, use_validation)
    def initial_loss():
        trained = model.get_weights()
        model.set_weights(initial_weights)
        loss = watched_fit(model, data, spec.output_activation)[0]
        model.set_weights(trained)
        return loss

    check_not_diverged(watched_fit(model, data, spec.output_activation), initial_loss,
                       "validation" if use_validation else "training", settings.learning_rate)
    if not stopped and not settings.incremental:
        warnings.warn(
            f"Stochastic Optimizer: Maximum iterations ({settings.max_iter}) reached and the "
            "optimization hasn't converged yet.",
            ConvergenceWarning,
        )
    history = {"loss": losses, "n_iter": done, "stopped": stopped,
               "best": float(ops.convert_to_numpy(state["best"])),
               "no_improvement": int(ops.convert_to_numpy(state["no_improvement"])),
               "solver_state": {k: _to_numpy(state[k]) for k in RESUMABLE}}
    if use_validation:
        history["val_loss"], history["val_score"] = val_losses, val_scores
    return history


def watched_fit(model, data, output_activation):
    """How well ``model`` fits (the first rows of) the data the stopping rule watches.

    Returns the cross-entropy of its probabilities (weighted by sample, not by class,
    as the validation loss), that of an uninformative prediction (0.5 for every label,
    1 / n_classes for a softmax), the share of outputs that are confidently wrong
    (within 1e-6 of the wrong answer), whether outputs and weights are finite, and
    the number of rows measured.
    """
    from ._model import forward_keras

    X, Y, W = data.validation if data.validation is not None else data[:3]
    rows = slice(0, DIVERGENCE_CHECK_ROWS)
    X, Y, W = X[rows], Y[rows].astype(np.float64), W[rows]
    # Sparse rows are densified for the Keras model: a few at a time (2**21 entries, 8 MiB),
    # as this check must not raise the fit's peak memory (prediction chunks are 64 MiB).
    step = DIVERGENCE_CHECK_ENTRIES // X.shape[1] if sp.issparse(X) else X.shape[0]
    step = max(step, 1)
    p = np.concatenate([forward_keras(model, X[i : i + step]) for i in range(0, X.shape[0], step)]
                       or [forward_keras(model, X)]).astype(np.float64)
    finite = bool(np.all(np.isfinite(p))) and all(np.all(np.isfinite(w)) for w in model.get_weights())
    if output_activation == "softmax":
        p = np.clip(p / p.sum(axis=1, keepdims=True), EPSILON, 1 - EPSILON)
        truth = (Y * p).sum(axis=1)
        losses, reference = -np.log(truth), np.full(len(Y), np.log(Y.shape[1]))
        wrong = float(np.mean(truth < 1e-6))
    else:
        observed = Y <= 1  # unknown labels (_targets.UNKNOWN) are left out
        wrong = float(np.mean((np.abs(Y - p) > 1 - 1e-6)[observed])) if observed.any() else 0.0
        p = np.clip(p, EPSILON, 1 - EPSILON)
        entries = -(Y * np.log(p) + (1 - Y) * np.log(1 - p))
        if observed.all():
            losses = entries.mean(axis=1)
        else:
            losses = np.where(observed, entries, 0).sum(axis=1) / np.maximum(observed.sum(axis=1), 1)
        reference = np.full(len(Y), np.log(2))
    total = max(float(W.sum()), EPSILON)
    return float(losses @ W) / total, float(reference @ W) / total, wrong, finite, X.shape[0]


def check_not_diverged(final, initial_loss, watched, learning_rate):
    """Raise when training diverged, given ``watched_fit`` after it and ``initial_loss()``.

    Diverged: non-finite outputs or weights, or a fit more than twice as bad as an
    uninformative one that is either worse than the initial weights or stuck there:
    saturated (a tenth or more of its outputs at the wrong one of 0 and 1: too high a
    learning rate, or unscaled features) with less than 10% progress. A network that
    is merely not trained enough (a few epochs on unscaled data) has made progress
    and does not count, nor are fewer than ``MIN_DIVERGENCE_ROWS`` watched rows enough
    to tell.
    """
    loss, reference, confidently_wrong, finite = final[:4]
    enough_rows = final[4] >= MIN_DIVERGENCE_ROWS  # one wrong answer is not divergence
    bad = False
    if enough_rows and loss > 2 * reference:
        initial = initial_loss()
        # worse than at the start, or stuck: saturated and no real progress
        bad = loss > initial or (confidently_wrong >= 0.1 and loss > 0.9 * initial)
    if finite and not bad:
        return
    raise ValueError(
        f"Training diverged: the loss on the {watched} data ({loss:.3g}) is more than twice that "
        f"of an uninformative prediction ({reference:.3g}){'' if finite else ' or not finite'}; "
        f"lower learning_rate_init (now {learning_rate:g}) or scale X (e.g. with StandardScaler)."
    )


def _compiled_chunk(model, spec, shapes, use_validation, sparse_width, n_features):
    """The compiled chunk for this model and these padded shapes (cached when keyed).

    Sparse features (rows of ``sparse_width`` indices and values) train the built-in
    MLP's twin that reads them directly, or a custom model on densified mini-batches.
    """
    key = None if spec.key is None else (
        (spec.key, *shapes), spec.loss_name, spec.optimizer, use_validation, sparse_width,
        spec.masked, spec.lazy,
    )

    def make():
        built, model_input, lazy_model = model if key is None else spec.build_template(), None, None
        if sparse_width is not None:
            on_rows = spec.build_on_rows(sparse_width) if spec.build_on_rows else None
            if on_rows is not None:
                built = on_rows
                if spec.lazy:  # its twin on a batch's gathered kernel rows (shapes[0]: batch size)
                    lazy_model = spec.build_on_rows(sparse_width, shapes[0] * sparse_width)
            else:
                model_input = functools.partial(densify, n_features=n_features)
        return make_train_chunk(built, spec.loss_name, spec.optimizer, kernel_mask(built),
                                use_validation, spec.masked, model_input, lazy_model)

    return cached_compile(key, make, autograph=spec.is_custom)


def _rows(x):
    return x[0].shape[0] if isinstance(x, tuple) else x.shape[0]


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
