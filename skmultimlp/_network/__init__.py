"""The network: architecture, the built-in MLP and its ensemble, forward passes, custom models."""

from ._activations import NUMPY_ACTIVATIONS
from ._architecture import Architecture, hidden_sizes, initial_model
from ._custom import model_checker
from ._ensemble import member_weights
from ._forward import forward_keras, forward_numpy

__all__ = [
    "NUMPY_ACTIVATIONS", "Architecture", "forward_keras",
    "forward_numpy", "hidden_sizes", "initial_model", "member_weights", "model_checker",
]
