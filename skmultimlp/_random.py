"""The seeds of one fit, drawn once from ``random_state``."""

from typing import NamedTuple

import numpy as np
from sklearn.utils import check_random_state


class Seeds(NamedTuple):
    """What each random choice of a fit is drawn from."""

    model: int  # initial weights (and dropout)
    shuffle: int  # the order of the mini-batches
    split: int  # the early-stopping validation split


def draw_seeds(random_state):
    """The ``Seeds`` of one fit: initial weights, shuffling, validation split.

    ``None`` draws fresh entropy without touching NumPy's global generator.
    """
    if random_state is None:
        seeds = np.random.default_rng().integers(0, 2**31 - 1, size=3)
    else:
        seeds = check_random_state(random_state).randint(0, 2**31 - 1, size=3)
    return Seeds(*(int(s) for s in seeds))
