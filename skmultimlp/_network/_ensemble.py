"""An averaged ensemble of K networks as one Keras model (``n_networks``).

The K members of the built-in MLP share one graph, so one compiled training loop and
one mini-batch step train them all: on a CPU a small network's step costs mostly
dispatch, which K members pay once. Layers, for hidden sizes ``(h1, h2, ...)``:

- ``hidden_0``: one ``Dense`` of ``K * h1`` units (or, for sparse X, the embedding
  bag ``_bag_dense.BagDense`` of the same kernel), reshaped to ``(batch, K, h1)``;
- ``hidden_i`` and ``output``: ``EinsumDense("bki,kio->bko")``, a batched matmul with
  a kernel of shape ``(K, h_in, h_out)``: member ``k`` only sees its own units;
- ``member_mean``: the mean of the members' probabilities (not in the training twin,
  whose output is ``(batch, K, n_outputs)``: each member has its own loss).

Only built-in Keras layers, so ``model_`` saves and loads as any other model. Each
member is initialised as a lone network: Glorot-uniform with the fans of one
member's layer, independent draws.
"""

import numpy as np
from scipy.special import expit, softmax

from ._activations import KERAS_ACTIVATIONS


def ensemble_layers(architecture, seed, n_features):
    """The layers of ``architecture.n_networks`` MLPs side by side, ending in their (batch, K,
    n_outputs) probabilities; the first layer reads ``n_features`` columns."""
    import keras

    K, hidden_layer_sizes, n_outputs = (architecture.n_networks, architecture.hidden_layer_sizes,
                                        architecture.n_outputs)
    activation, dropout = architecture.activation, architecture.dropout
    output_activation = architecture.output_activation
    widths = [*hidden_layer_sizes, n_outputs]
    first_is_output = not hidden_layer_sizes
    # The kernel holds K kernels of (n_features, widths[0]) side by side.
    layers = [
        keras.layers.Dense(
            K * widths[0],
            activation=None if first_is_output else KERAS_ACTIVATIONS[activation],
            kernel_initializer=_glorot(n_features, widths[0], seed),
            name="output" if first_is_output else "hidden_0",
        ),
        keras.layers.Reshape((K, widths[0]), name="members_0"),
    ]
    if first_is_output:
        return layers + [keras.layers.Activation(output_activation, name="output_activation")]
    for i in range(len(widths) - 1):
        if dropout > 0:  # on (batch, K, units): an independent mask for each member
            layers.append(keras.layers.Dropout(dropout, seed=seed + 2 * i + 1, name=f"dropout_{i}"))
        last = i + 1 == len(hidden_layer_sizes)
        layers.append(keras.layers.EinsumDense(
            "bki,kio->bko", output_shape=(K, widths[i + 1]), bias_axes="ko",
            activation=output_activation if last else KERAS_ACTIVATIONS[activation],
            kernel_initializer=_glorot(widths[i], widths[i + 1], seed + 2 * (i + 1)),
            name="output" if last else f"hidden_{i + 1}",
        ))
    return layers


def _glorot(fan_in, fan_out, seed):
    """Glorot-uniform of a lone member's ``(fan_in, fan_out)`` layer, whatever the shape
    of the kernel that holds the K members (Keras derives fans from the kernel's shape,
    and for ``EinsumDense`` from its equation, which would change the scale with K)."""
    import keras

    limit = float(np.sqrt(6.0 / (fan_in + fan_out)))
    return keras.initializers.RandomUniform(-limit, limit, seed=seed)


def member_mean_layer():
    """The mean over the members axis: (batch, K, n_outputs) -> (batch, n_outputs)."""
    import keras

    return keras.layers.GlobalAveragePooling1D(name="member_mean")


def member_weights(weights, n_networks):
    """``coefs_`` and ``intercepts_`` of an ensemble from the model's weights.

    Each layer's kernel as ``(K, n_in, n_out)`` and bias as ``(K, n_out)``: entry
    ``k`` is member ``k``'s layer as ``MLPClassifier`` stores it.
    """
    kernel, bias = weights[0], weights[1]
    coefs = [kernel.reshape(kernel.shape[0], n_networks, -1).transpose(1, 0, 2)]
    intercepts = [bias.reshape(n_networks, -1)]
    return coefs + list(weights[2::2]), intercepts + list(weights[3::2])


def members_forward(coefs, intercepts, act, out_activation):
    """``forward(rows)``: the mean of the members' probabilities on a chunk of rows
    (dense or CSR float32).

    The first layer is one product with the members' kernels side by side (built
    once, not per chunk), so a sparse chunk is multiplied once, never densified.
    """
    K, n_in, units = coefs[0].shape
    first = np.ascontiguousarray(coefs[0].transpose(1, 0, 2)).reshape(n_in, K * units)

    def forward(rows):
        Z = np.asarray(rows @ first).reshape(-1, K, units) + intercepts[0]
        for W, b in zip(coefs[1:], intercepts[1:]):
            Z = np.einsum("rki,kio->rko", act(Z), W) + b
        proba = softmax(Z, axis=-1) if out_activation == "softmax" else expit(Z)
        return proba.mean(axis=1)

    return forward


def is_ensemble(coefs):
    """True when ``coefs_`` are an ensemble's (a leading members axis)."""
    return coefs[0].ndim == 3
