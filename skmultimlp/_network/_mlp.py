"""The built-in MLP as Keras layers: on dense features, and on sparse rows for training."""

from ._activations import KERAS_ACTIVATIONS
from ._bag_dense import bag_dense_class
from ._ensemble import ensemble_layers, member_mean_layer


def build_mlp(architecture, seed, members=False):
    """Return an uncompiled ``keras.Sequential`` MLP with seeded initializers.

    Layers: ``Dense(units, activation)`` for each hidden size, each followed by
    ``Dropout(dropout)`` when ``dropout > 0``, then ``Dense(n_outputs,
    output_activation)``. Layer names are fixed (``hidden_0``, ``dropout_0``, ...,
    ``output``) so two models built with the same arguments have the same config.
    ``n_networks > 1``: that many such networks averaged (``_ensemble``); with
    ``members``, without the mean (output ``(batch, n_networks, n_outputs)``).
    """
    import keras

    layers = _mlp_layers(architecture, seed, architecture.n_features)
    if architecture.n_networks > 1 and not members:
        layers.append(member_mean_layer())
    return keras.Sequential([keras.Input((architecture.n_features,), name="features"), *layers],
                            name="mlp")


def build_mlp_on_rows(architecture, width, n_features):
    """The MLP of :func:`build_mlp` taking ``SparseRows`` of ``width``.

    ``n_features``: the rows of its first kernel (the data's, or a batch's gathered rows).

    Its first layer is a ``_bag_dense.BagDense`` with the kernel and bias of the first
    ``Dense``, so both models have the same variables in the same order: the
    training loop runs this one on the weights of the other. Only used in training,
    through ``stateless_call`` (its own initial weights are never read).
    """
    import keras

    first, *rest = _mlp_layers(architecture, 0, n_features)
    inputs = [keras.Input((width,), dtype="int32", name="indices"),
              keras.Input((width,), name="values")]
    bag = bag_dense_class()(n_features, first.units, first.activation, name=first.name)
    out = bag(inputs)
    for layer in rest:
        out = layer(out)
    return keras.Model(inputs, out, name="mlp_on_rows")


def _mlp_layers(architecture, seed, n_features):
    """The layers of ``architecture``'s MLP, the first one reading ``n_features`` columns."""
    import keras

    if architecture.n_networks > 1:
        return ensemble_layers(architecture, seed, n_features)
    hidden_layer_sizes, activation, dropout = (architecture.hidden_layer_sizes, architecture.activation,
                                               architecture.dropout)
    n_outputs, output_activation = architecture.n_outputs, architecture.output_activation
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
