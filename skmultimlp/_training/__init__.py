"""Training: the loss and optimizer tables, the compiled loop, its driver, L-BFGS.

``train`` (mini-batch solvers) and ``train_lbfgs`` train a Keras model in place on a
``TrainingData`` with ``Settings`` and return its history.
"""

from ._driver import train
from ._lbfgs import train_lbfgs
from ._losses import SIGMOID_LOSSES, loss_params_of
from ._objective import SCORINGS
from ._optimizers import OPTIMIZERS, hyper_of
from ._schedules import SCHEDULES
from ._types import ModelSpec, Settings, TrainingData, Validation

__all__ = [
    "OPTIMIZERS", "SCHEDULES", "SCORINGS", "SIGMOID_LOSSES", "ModelSpec", "Settings",
    "TrainingData", "Validation", "hyper_of", "loss_params_of", "train", "train_lbfgs",
]
