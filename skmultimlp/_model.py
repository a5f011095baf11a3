"""The network: build it, describe its architecture, run it in NumPy, pickle it.

Pure functions of plain arguments; the estimator decides which to call.
"""

import json
import re
from numbers import Integral
from typing import Callable, NamedTuple, Optional

import numpy as np
import scipy.sparse as sp
from scipy.special import expit, softmax

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
PREDICT_CHUNK_ROWS = 8192  # predictions are computed in chunks of at most this many rows
PREDICT_CHUNK_ENTRIES = 2**24  # and of at most this many dense entries (64 MiB of float32)


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
            from ._custom_model import call_builder

            return call_builder(self.custom, n_features=self.n_features, n_outputs=self.n_outputs,
                                output_activation=self.output_activation, seed=seed)
        return build_mlp(self.n_features, self.hidden_layer_sizes, self.activation, self.dropout,
                         self.n_outputs, self.output_activation, seed, self.n_networks, members)

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
        return build_mlp_on_rows(n_features or self.n_features, width, self.hidden_layer_sizes,
                                 self.activation, self.dropout, self.n_outputs, self.output_activation,
                                 self.n_networks)

    def key(self, model):
        """Hashable key of the compiled training function for ``model``, built by ``build``."""
        if self.custom is not None:
            return ("custom", architecture_key(model))
        key = ("mlp", self.n_features, self.hidden_layer_sizes, self.activation,
               float(self.dropout), self.n_outputs, self.output_activation)
        return key if self.n_networks == 1 else (*key, self.n_networks)


def build_mlp(n_features, hidden_layer_sizes, activation, dropout, n_outputs, output_activation, seed,
              n_networks=1, members=False):
    """Return an uncompiled ``keras.Sequential`` MLP with seeded initializers.

    Layers: ``Dense(units, activation)`` for each hidden size, each followed by
    ``Dropout(dropout)`` when ``dropout > 0``, then ``Dense(n_outputs,
    output_activation)``. Layer names are fixed (``hidden_0``, ``dropout_0``, ...,
    ``output``) so two models built with the same arguments have the same config.
    ``n_networks > 1``: that many such networks averaged (``_ensemble``); with
    ``members``, without the mean (output ``(batch, n_networks, n_outputs)``).
    """
    import keras

    layers = _mlp_layers(hidden_layer_sizes, activation, dropout, n_outputs, output_activation, seed,
                         n_networks, n_features)
    if n_networks > 1 and not members:
        from ._ensemble import member_mean_layer

        layers.append(member_mean_layer())
    return keras.Sequential([keras.Input((n_features,), name="features"), *layers], name="mlp")


def build_mlp_on_rows(n_features, width, hidden_layer_sizes, activation, dropout, n_outputs,
                      output_activation, n_networks=1):
    """The MLP of :func:`build_mlp` taking sparse rows as ``(indices, values)`` of ``width``.

    Its first layer is a ``_sparse.BagDense`` with the kernel and bias of the first
    ``Dense``, so both models have the same variables in the same order: the
    training loop runs this one on the weights of the other. Only used in training,
    through ``stateless_call`` (its own initial weights are never read).
    """
    import keras

    from ._sparse import bag_dense_class

    first, *rest = _mlp_layers(hidden_layer_sizes, activation, dropout, n_outputs,
                               output_activation, 0, n_networks, n_features)
    inputs = [keras.Input((width,), dtype="int32", name="indices"),
              keras.Input((width,), name="values")]
    bag = bag_dense_class()(n_features, first.units, first.activation, name=first.name)
    out = bag(inputs)
    for layer in rest:
        out = layer(out)
    return keras.Model(inputs, out, name="mlp_on_rows")


def _mlp_layers(hidden_layer_sizes, activation, dropout, n_outputs, output_activation, seed,
                n_networks=1, n_features=None):
    import keras

    if n_networks > 1:
        from ._ensemble import ensemble_layers

        return ensemble_layers(n_features, hidden_layer_sizes, activation, dropout, n_outputs,
                               output_activation, seed, n_networks)
    layers = []
    for i, units in enumerate(hidden_layer_sizes):
        layers.append(
            keras.layers.Dense(
                units,
                activation=KERAS_ACTIVATIONS[activation],
                kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 2 * i),
                name=f"hidden_{i}",
            )
        )
        if dropout > 0:
            layers.append(keras.layers.Dropout(dropout, seed=seed + 2 * i + 1, name=f"dropout_{i}"))
    layers.append(
        keras.layers.Dense(
            n_outputs,
            activation=output_activation,
            kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 2 * len(hidden_layer_sizes)),
            name="output",
        )
    )
    return layers


def architecture_key(model):
    """A hashable description of a model's architecture, independent of layer names.

    Keras numbers automatic layer names globally (``dense_3``), so two identical
    models built one after the other have different configs; names are replaced by
    their order of first appearance, which keeps the wiring of functional models,
    and initializer/dropout seeds are left out (they change weights, not the graph).
    """
    from ._backend import contained_import_effects

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
    from ._backend import import_keras

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


def forward_numpy(X, coefs, intercepts, activation, out_activation):
    """Probabilities of the built-in MLP from its weights, in NumPy (no Keras call).

    ``X`` may be sparse (CSR): its first layer is a sparse-dense product, as in
    MLPClassifier. Rows are processed in chunks, so memory stays bounded for any size.
    """
    from ._ensemble import is_ensemble, members_forward

    act = NUMPY_ACTIVATIONS[activation]
    members = members_forward(coefs, intercepts, act, out_activation) if is_ensemble(coefs) else None

    def forward(rows):
        rows = rows.astype(np.float32) if sp.issparse(rows) else np.asarray(rows, dtype=np.float32)
        if members is not None:  # n_networks > 1: coefs_ have a leading members axis
            return members(rows)
        for W, b in zip(coefs[:-1], intercepts[:-1]):
            rows = act(rows @ W + b)
        Z = rows @ coefs[-1] + intercepts[-1]
        return softmax(Z, axis=1) if out_activation == "softmax" else expit(Z)

    # A sparse chunk is never densified: its largest dense array is the widest layer.
    widths = [W.shape[-1] * (W.shape[0] if W.ndim == 3 else 1) for W in coefs]
    widths += [] if sp.issparse(X) else [X.shape[1]]
    return _in_chunks(forward, X, max(widths))


def forward_keras(model, X):
    """Probabilities of any Keras model, in chunks of rows (sparse chunks densified)."""
    from keras import ops

    def forward(rows):
        rows = rows.toarray() if sp.issparse(rows) else rows
        return ops.convert_to_numpy(model(np.asarray(rows, dtype=np.float32), training=False))

    return _in_chunks(forward, X, X.shape[1])


def _in_chunks(forward, X, width):
    """``forward`` applied to chunks of rows of ``X``, concatenated: chunks of at most
    ``PREDICT_CHUNK_ENTRIES`` dense entries of ``width`` columns each, so the memory of a
    prediction does not grow with ``X``."""
    if sp.issparse(X):
        from ._sparse import as_csr

        X = as_csr(X)
    rows = max(1, min(PREDICT_CHUNK_ROWS, PREDICT_CHUNK_ENTRIES // max(width, 1)))
    if X.shape[0] <= rows:
        return forward(X)
    return np.concatenate([forward(X[i : i + rows]) for i in range(0, X.shape[0], rows)])


def hidden_sizes(hidden_layer_sizes):
    """``hidden_layer_sizes`` (an int or a sequence of ints) as a tuple of ints."""
    if isinstance(hidden_layer_sizes, Integral):
        sizes = (int(hidden_layer_sizes),)
    else:
        sizes = tuple(hidden_layer_sizes)
    if not all(isinstance(s, Integral) and s > 0 for s in sizes):
        raise ValueError(f"hidden_layer_sizes must be positive integers, got {hidden_layer_sizes!r}.")
    return tuple(int(s) for s in sizes)


def model_to_state(model):
    """The model as plain data: its JSON config and its weights.

    Loading it needs no file I/O (Keras' own pickling imports TensorFlow under every
    backend); custom layers must be Keras-registered to load again.
    """
    from ._backend import contained_import_effects

    with contained_import_effects():  # to_json imports TensorFlow's JSON helpers
        return model.to_json(), model.get_weights()


def model_from_state(config_json, weights):
    """The model saved by :func:`model_to_state`, rebuilt in Keras' safe mode.

    Raises :class:`~skmultimlp._persistence.UnsafeModelError` when the config holds
    a Python lambda, whose loading would run code stored with it.
    """
    from ._persistence import model_from_config

    model = model_from_config(config_json)
    model.set_weights(weights)
    return model


class KerasModelPickling:
    """Mixin: pickles the fitted ``model_`` as :func:`model_to_state` data.

    A ``model`` callable that cannot be imported by name is saved as a
    :class:`~skmultimlp._persistence.StoredArchitecture` of ``model_``'s config.
    """

    def __getstate__(self):
        from ._persistence import portable_model_parameter

        # A copy: scikit-learn's __getstate__ may hand back the live __dict__, and
        # pickling must not change the estimator being pickled.
        state = dict(super().__getstate__())
        if "model_" in state:
            state["_model_json"], state["_model_weights"] = model_to_state(state.pop("model_"))
            state["model"] = portable_model_parameter(state, state["_model_json"])
        return state

    def __setstate__(self, state):
        from ._persistence import restored_model_parameter

        state = dict(state)
        json, weights = state.pop("_model_json", None), state.pop("_model_weights", None)
        if "model" in state:
            state["model"] = restored_model_parameter(state["model"])
        super().__setstate__(state)
        if json is not None:
            self.model_ = model_from_state(json, weights)
