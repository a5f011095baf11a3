"""The network: architecture, the built-in MLP and its ensemble, forward passes, custom models."""

from ._activations import KERAS_ACTIVATIONS, NUMPY_ACTIVATIONS
from ._architecture import Architecture, architecture_key, hidden_sizes, initial_model
from ._custom import model_checker
from ._ensemble import member_weights
from ._forward import forward_keras, forward_numpy

__all__ = [
    "KERAS_ACTIVATIONS", "NUMPY_ACTIVATIONS", "Architecture", "architecture_key", "forward_keras",
    "forward_numpy", "hidden_sizes", "initial_model", "member_weights", "model_checker",
]
