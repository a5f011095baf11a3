"""``BagDense``: a ``Dense`` layer on sparse rows, computed as an embedding bag."""

BAG_ROWS_PER_CHUNK = 4096  # rows of a large batch whose first layer is computed at once


def bag_dense_class():
    """``BagDense``, defined on first use so that importing this module imports no Keras."""
    global _BagDense
    if _BagDense is None:
        _BagDense = _define_bag_dense()
    return _BagDense


_BagDense = None


def _define_bag_dense():
    import keras
    from keras import ops

    class BagDense(keras.layers.Layer):
        """``Dense`` on ``(indices, values)`` rows: the same kernel and bias, in that order."""

        def __init__(self, n_features, units, activation=None, **kwargs):
            super().__init__(**kwargs)
            self.n_features, self.units = n_features, units
            self.activation = keras.activations.get(activation)

        def build(self, input_shape):
            # Zeros: an unseeded initializer would draw from Python's global random; the
            # training loop runs this layer on the weights of the dense model anyway.
            self.kernel = self.add_weight(shape=(self.n_features, self.units), name="kernel",
                                          initializer="zeros")
            self.bias = self.add_weight(shape=(self.units,), name="bias", initializer="zeros")

        def call(self, inputs):
            indices, values = inputs
            n = indices.shape[0]
            if n is None or n <= BAG_ROWS_PER_CHUNK:
                return self.activation(self._bag(indices, values) + self.bias)
            # A large batch in chunks: the gathered kernel rows are rows x width x units
            # floats, which would dwarf the data. (The validation rows come in chunks of
            # this size already: _training._objective.in_row_chunks.)
            chunks = [self._bag(indices[i : i + BAG_ROWS_PER_CHUNK], values[i : i + BAG_ROWS_PER_CHUNK])
                      for i in range(0, n, BAG_ROWS_PER_CHUNK)]
            return self.activation(ops.concatenate(chunks, axis=0) + self.bias)

        def _bag(self, indices, values):
            rows = ops.take(self.kernel, ops.cast(indices, "int32"), axis=0)  # (batch, width, units)
            return ops.einsum("bw,bwu->bu", values, rows)

        def compute_output_shape(self, input_shape):
            return (input_shape[0][0], self.units)

    return BagDense
