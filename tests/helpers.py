"""What several test files share: the fast parameters, the small data set, a custom model.

Importable by name from every folder of tests/: pytest puts tests/ on ``sys.path`` for
its ``conftest.py``. The ``data`` fixture of ``conftest.py`` is ``multilabel_data()``.
"""

import numpy as np
from sklearn.datasets import make_multilabel_classification
from sklearn.preprocessing import StandardScaler

# A few seconds a fit at most: one small hidden layer, a fixed number of epochs, seeded.
FAST = dict(hidden_layer_sizes=(16,), max_iter=40, batch_size=32, learning_rate_init=0.01,
            early_stopping=False, random_state=0)


def multilabel_data(n_samples=200, n_features=10, n_classes=4, random_state=0, dtype=np.float32):
    """Standardised features and a 0/1 label matrix, two labels a sample on average.

    The estimator trains and predicts in float32 whatever the dtype of X; ``dtype``
    matters only to tests that compare with scikit-learn's own MLP on the same X.
    """
    X, Y = make_multilabel_classification(n_samples, n_features, n_classes=n_classes, n_labels=2,
                                          random_state=random_state)
    return StandardScaler().fit_transform(X).astype(dtype), Y


def small_functional_model(n_features, n_outputs, output_activation, seed):
    """A custom ``model`` callable (one hidden layer of 6), importable by name: pickles
    and skops files store it as ``helpers.small_functional_model``."""
    import keras

    inputs = keras.Input((n_features,))
    hidden = keras.layers.Dense(6, activation="relu",
                                kernel_initializer=keras.initializers.GlorotUniform(seed))(inputs)
    outputs = keras.layers.Dense(n_outputs, activation=output_activation,
                                 kernel_initializer=keras.initializers.GlorotUniform(seed + 1))(hidden)
    return keras.Model(inputs, outputs)
