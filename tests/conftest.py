"""Shared fixtures: the small data set, the real datasets folder, Keras, a global-state guard.

The parameters of a fast fit, ``FAST``, are in ``helpers.py`` with the data set's maker
(a constant, so that tests derive their own from it: ``{**FAST, "max_iter": 4}``).
"""

import os
from pathlib import Path

import pytest

from helpers import multilabel_data

REPO_ROOT = Path(__file__).resolve().parent.parent


def _data_dir():
    env = os.environ.get("SKMULTIMLP_DATA")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "datasets"


@pytest.fixture(scope="module")
def data():
    """A small multi-label problem, ``multilabel_data()``: X (200, 10) standardised float32,
    Y (200, 4) of 0/1. Module-scoped: a test file that changes it changes only its own copy."""
    return multilabel_data()


@pytest.fixture(scope="session")
def data_dir():
    """The folder of real multi-label datasets (``SKMULTIMLP_DATA`` or ../shared/datasets)."""
    path = _data_dir()
    if not path.is_dir():
        pytest.skip(
            f"real datasets folder not found at {path}; set SKMULTIMLP_DATA to the "
            "folder holding emotions/, yeast/, scene/, medical/"
        )
    return path


@pytest.fixture(scope="session")
def validation_part():
    """``validation_part(X, Y, fraction, random_state)``: the rows a fit with these
    settings holds out for early stopping, to recompute its scores."""
    import numpy as np

    from skmultimlp._targets import encode_target, training_data
    from skmultimlp._random import draw_seeds

    def held_out(X, Y, fraction=0.1, random_state=0):
        seed = draw_seeds(random_state).split
        data = training_data(np.asarray(X), encode_target(Y), np.ones(len(X), np.float32), fraction, seed)
        return data.validation.X, data.validation.Y

    return held_out


@pytest.fixture(scope="session")
def keras_imported():
    """Import Keras (and its backend) once, putting back what importing it changes.

    Importing TensorFlow draws from NumPy's global generator and sets environment
    variables; tests that call Keras directly use this fixture first.
    """
    from skmultimlp._backend import import_keras

    return import_keras()


def _global_state():
    """Global state that fitting must leave alone (Keras/TF parts only if loaded)."""
    import pickle
    import random
    import sys

    import numpy as np

    state = {
        "numpy": pickle.dumps(np.random.get_state()),
        "python": random.getstate(),
        "environ": {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"},
    }
    if "keras" in sys.modules:
        import keras
        from keras.src.backend.common import global_state

        state["floatx"] = keras.config.floatx()
        generator = global_state.get_global_attribute("global_seed_generator")
        state["keras_seed"] = None if generator is None else np.asarray(generator.state.value).tolist()
    if "tensorflow" in sys.modules:
        from tensorflow.python.eager import context
        from tensorflow.python.framework import config

        state["tf_determinism"] = config.is_op_determinism_enabled()

        state["tf_seed"] = context.global_seed()
    return state


@pytest.fixture(autouse=True)
def global_state_is_unchanged(request):
    """Every test must leave NumPy's, Python's, Keras' and TensorFlow's global state alone.

    A test marked ``uses_global_numpy_rng`` (code outside ours that draws from NumPy's
    global generator) is checked for everything else.
    """
    before = _global_state()
    yield
    after = _global_state()
    ignored = {"numpy"} if request.node.get_closest_marker("uses_global_numpy_rng") else set()
    for key in (before.keys() & after.keys()) - ignored:
        assert before[key] == after[key], f"global state {key!r} changed"
