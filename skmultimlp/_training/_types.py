"""The values that travel between the host driver, the solvers and the compiled loop.

No logic beyond properties: ``ModelSpec`` (what is trained: the static part of the
compile key), ``TrainingData`` and ``Validation`` (host arrays), ``Settings``
(run-time settings, MLPClassifier's meanings), ``RunArgs`` and ``DeviceData``
(what one compiled call takes, as backend tensors).
"""

from typing import Callable, Hashable, NamedTuple, Optional

import numpy as np

from ._losses import LOSS_OF_OUTPUT, LossParams


class ModelSpec(NamedTuple):
    """What is trained, and how: the static part of the compile-cache key."""

    key: Optional[Hashable]  # architecture key; None compiles without caching
    build_template: Callable  # returns a model of the same architecture (on a cache miss)
    output_activation: str  # "sigmoid" or "softmax"
    optimizer: str  # a key of ``_optimizers.OPTIMIZERS``
    loss: str = "binary_crossentropy"  # of sigmoid outputs; a softmax uses categorical
    build_on_rows: Optional[Callable] = None  # width -> the model on sparse rows, or None
    masked: bool = False  # targets with unknown entries (_unknown.UNKNOWN), left out of the loss
    lazy: bool = False  # sparse rows: update only the first-layer rows of each batch (_lazy)
    custom: bool = False  # a custom ``model`` callable's network

    @property
    def loss_name(self):
        """The key of ``_losses.LOSSES`` this model trains with."""
        return self.loss if self.output_activation == "sigmoid" else LOSS_OF_OUTPUT["softmax"]

    @property
    def needs_autograph(self):
        """Whether the model's code may branch on tensors (a custom model, or one without a
        key): TensorFlow's autograph then converts it (see ``_backend.compile_function``)."""
        return self.custom or self.key is None


class Validation(NamedTuple):
    """The rows held out for early stopping (and ``threshold="auto"``)."""

    X: object  # features of the held-out rows (dense or CSR)
    Y: np.ndarray  # their uint8 targets
    W: np.ndarray  # their float32 sample weights


class TrainingData(NamedTuple):
    """What a solver trains on: all the rows, and which of them train."""

    X: object  # features (n, n_features): a dense array or a CSR matrix, as the user gave them
    Y: np.ndarray  # uint8 0/1 targets (n, n_outputs); _unknown.UNKNOWN where unknown
    W: np.ndarray  # float32 sample weights (n,)
    validation: Optional[Validation]  # held out for early stopping, or None
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
    alpha: float
    tol: float
    n_iter_no_change: float  # may be np.inf
    pos_weight: np.ndarray
    neg_weight: np.ndarray
    optimizer: Optional[NamedTuple] = None  # the solver's hyper-parameters (_optimizers.hyper_of)
    verbose: int = 0
    schedule: str = "constant"  # a key of _schedules.SCHEDULES (sgd only)
    power_t: float = 0.5
    thresholds: Optional[np.ndarray] = None  # of the validation score; default 0.5
    incremental: bool = False  # partial_fit: no ConvergenceWarning
    # Multi-label class weights shift the loss toward rare labels: a validation loss
    # weighted the same way would keep a near-untrained epoch, so it is unweighted.
    # Binary and multiclass class weights (scikit-learn's) weigh it too.
    weigh_validation: bool = True
    loss_params: Optional[LossParams] = None  # hyper-parameters of focal/asymmetric losses
    scoring: str = "loss"  # what early stopping watches: a key of _objective.SCORINGS


class Batch(NamedTuple):
    """Rows of the data, as the objective takes them (backend tensors)."""

    x: object  # features: an array or ``_inputs.SparseRows``
    y: object  # uint8 targets
    w: object  # float32 sample weights (0 on padding rows)


class LossArgs(NamedTuple):
    """Run-time arguments of the training objective (both solvers)."""

    pos_weight: object  # class weights of positive and negative targets, per output
    neg_weight: object
    alpha: object  # L2 penalty
    params: object  # a _losses.LossParams of scalars


class ScoreArgs(NamedTuple):
    """Run-time arguments of the validation loss and score (early stopping)."""

    pos_weight: object  # class weights of the validation loss (see Settings.weigh_validation)
    neg_weight: object
    thresholds: object  # of the validation predictions (as ``predict``)
    params: object  # a _losses.LossParams of scalars
    scoring: object  # a value of _objective.SCORINGS


class RunArgs(NamedTuple):
    """The run-time arguments of one compiled call, as backend tensors."""

    n_steps: object
    n_epochs: object
    n_samples: object  # training rows, for the invscaling schedule
    tol: object
    patience: object
    loss: LossArgs
    validation: ScoreArgs
    schedule: object  # a value of _schedules.SCHEDULES
    power_t: object
    optimizer: object  # the solver's hyper-parameters; learning_rate is learning_rate_init


class DeviceData(NamedTuple):
    """Padded training and validation data, as backend tensors."""

    X: object
    Y: object
    W: object
    X_val: object
    Y_val: object
    W_val: object


class History(NamedTuple):
    """What a solver reports of a run (``train``, ``train_lbfgs``)."""

    loss: list  # training loss of each epoch (L-BFGS: of each iteration)
    n_iter: int
    stopped: bool  # the stopping rule fired (L-BFGS: it converged)
    best_loss: Optional[float] = None  # lowest training loss watched; L-BFGS: its final objective
    validation_loss: Optional[list] = None  # of each epoch, with early stopping
    validation_score: Optional[list] = None  # the ``scoring`` metric of each epoch
    best_validation_loss: Optional[float] = None  # the validation loss of the epoch kept
    no_improvement: int = 0  # the stopping count at the end
    solver_state: dict = {}  # NumPy copies of what ``partial_fit`` resumes from
    n_fun: Optional[int] = None  # L-BFGS: objective evaluations
    seconds_compiling: Optional[float] = None  # L-BFGS: the first evaluation, compilation included
