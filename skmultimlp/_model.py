"""Build the Keras graph of the default multi-layer perceptron from plain arguments."""

import json
import re

# MLPClassifier's activation names -> Keras' names.
KERAS_ACTIVATIONS = {
    "identity": "linear",
    "logistic": "sigmoid",
    "tanh": "tanh",
    "relu": "relu",
}


def build_mlp(n_features, hidden_layer_sizes, activation, dropout, n_outputs, output_activation, seed):
    """Return an uncompiled ``keras.Sequential`` MLP with seeded initializers.

    Layers: ``Dense(units, activation)`` for each hidden size, each followed by
    ``Dropout(dropout)`` when ``dropout > 0``, then ``Dense(n_outputs,
    output_activation)``. Layer names are fixed (``hidden_0``, ``dropout_0``, ...,
    ``output``) so two models built with the same arguments have the same config.
    """
    import keras

    layers = [keras.Input((n_features,), name="features")]
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
    return keras.Sequential(layers, name="mlp")


def architecture_key(model):
    """A hashable description of a model's architecture, independent of layer names.

    Keras numbers automatic layer names globally (``dense_3``), so two identical
    models built one after the other have different configs; names are replaced by
    their order of first appearance, which keeps the wiring of functional models,
    and initializer/dropout seeds are left out (they change weights, not the graph).
    """
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
