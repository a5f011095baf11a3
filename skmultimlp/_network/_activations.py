"""The hidden activations, by MLPClassifier's names: Keras' names and NumPy functions."""

import numpy as np
from scipy.special import expit

# MLPClassifier's activation names -> Keras' names.
KERAS_ACTIVATIONS = {
    "identity": "linear",
    "logistic": "sigmoid",
    "tanh": "tanh",
    "relu": "relu",
}

# The same activations in NumPy, for the forward pass of ``predict_proba``.
NUMPY_ACTIVATIONS = {
    "identity": lambda z: z,
    "logistic": expit,
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0),
}
