"""The network's architecture: what decides its shape, its cache key, warm starts.

``Architecture`` builds the model (the built-in MLP of ``_mlp`` or a custom
``model`` callable, ``_custom``) and keys the compiled training loop.
"""

import json
import re
from numbers import Integral
from typing import Callable, NamedTuple, Optional

from .._backend import contained_import_effects, import_keras
from ._custom import call_builder
from ._mlp import build_mlp, build_mlp_on_rows


class Architecture(NamedTuple):
    """Everything that decides the network's shape (not its weights)."""

    n_features: int
    n_outputs: int
    output_activation: str  # "sigmoid" or "softmax"
    hidden_layer_sizes: tuple
    activation: str
    dropout: float
    custom: Optional[Callable] = None  # the estimator's ``model`` callable
    n_networks: int = 1  # members of an averaged ensemble (``_ensemble``), built-in MLP only

    def build(self, seed, members=False):
        """A new model with initial weights drawn from ``seed``.

        ``members``: an ensemble's training twin, which outputs each member's
        probabilities (the same variables, without the final mean).
        """
        if self.custom is not None:
            return call_builder(self.custom, n_features=self.n_features, n_outputs=self.n_outputs,
                                output_activation=self.output_activation, seed=seed)
        return build_mlp(self, seed, members)

    def training_template(self):
        """A model of the architecture that the compiled training loop runs."""
        return self.build(0, members=True)

    def build_on_rows(self, width, n_features=None):
        """The built-in MLP taking sparse rows (``build_mlp_on_rows``); None for a custom model.

        ``n_features``: the rows of its first kernel, when not the data's (``_lazy``'s
        model on a batch's gathered kernel rows).
        """
        if self.custom is not None:
            return None
        return build_mlp_on_rows(self, width, n_features or self.n_features)

    def key(self, model):
        """Hashable key of the compiled training function for ``model``, built by ``build``."""
        if self.custom is not None:
            return ("custom", architecture_key(model))
        key = ("mlp", self.n_features, self.hidden_layer_sizes, self.activation,
               float(self.dropout), self.n_outputs, self.output_activation)
        return key if self.n_networks == 1 else (*key, self.n_networks)


def architecture_key(model):
    """A hashable description of a model's architecture, independent of layer names.

    Keras numbers automatic layer names globally (``dense_3``), so two identical
    models built one after the other have different configs; names are replaced by
    their order of first appearance, which keeps the wiring of functional models,
    and initializer/dropout seeds are left out (they change weights, not the graph).
    """
    with contained_import_effects():  # to_json imports TensorFlow's JSON helpers
        text = model.to_json()
    names = []
    for name in re.findall(r'"name": "([^"]*)"', text):
        if name not in names:
            names.append(name)
    config = json.loads(text)

    def rename(node):
        if isinstance(node, dict):
            return {k: rename(v) for k, v in node.items() if k != "seed"}
        if isinstance(node, list):
            return [rename(v) for v in node]
        if isinstance(node, str) and node in names:
            return f"n{names.index(node)}"
        return node

    return json.dumps(rename(config), sort_keys=True)


def initial_model(architecture, seed, previous=None, check=None):
    """A new model, with the weights of ``previous`` when their shapes match (warm start).

    ``check(model)`` runs on the newly built model, before any weights are copied.
    Returns the model and whether the previous weights were reused.
    """
    import_keras()  # first, so that its side effects on global state are contained
    model = architecture.build(seed)
    if check is not None:
        check(model)
    warm = previous is not None and same_weight_shapes(model, previous)
    if warm:
        model.set_weights(previous.get_weights())
    return model, warm


def same_weight_shapes(model, other):
    """True when two models have weights of the same shapes (``warm_start`` can reuse them)."""
    return [tuple(w.shape) for w in model.weights] == [tuple(w.shape) for w in other.weights]


def hidden_sizes(hidden_layer_sizes):
    """``hidden_layer_sizes`` (an int or a sequence of ints) as a tuple of ints."""
    if isinstance(hidden_layer_sizes, Integral):
        sizes = (int(hidden_layer_sizes),)
    else:
        sizes = tuple(hidden_layer_sizes)
    if not all(isinstance(s, Integral) and s > 0 for s in sizes):
        raise ValueError(f"hidden_layer_sizes must be positive integers, got {hidden_layer_sizes!r}.")
    return tuple(int(s) for s in sizes)
