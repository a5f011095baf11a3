"""
A custom Keras network: dropout and batch normalization
=======================================================

The ``model`` parameter takes a function that builds the network. It is called in
every ``fit`` with four keyword arguments and must return an *uncompiled*
``keras.Model`` whose last layer uses ``output_activation`` (a sigmoid per label for
a multi-label target); the estimator compiles the loss, optimizer and training loop
itself. ``seed`` comes from ``random_state``: passing it to every initializer and
dropout layer makes fits reproducible.

After ``fit``, the trained network is ``model_``, a plain ``keras.Model`` that Keras
code can use directly.
"""

# %%
# The builder
# -----------
# Define it at module level (not as a lambda) so that the estimator can be sent to
# parallel workers and saved.
import warnings

import keras
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmultimlp import MultiLabelMLPClassifier
from skmultimlp.datasets import make_tutorial_dataset


def regularized_mlp(n_features, n_outputs, output_activation, seed, width=64, rate=0.2):
    inputs = keras.Input((n_features,))
    h = keras.layers.Dense(width, kernel_initializer=keras.initializers.HeUniform(seed=seed))(inputs)
    h = keras.layers.BatchNormalization()(h)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Dropout(rate, seed=seed + 1)(h)
    outputs = keras.layers.Dense(
        n_outputs, activation=output_activation,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 2),
    )(h)
    return keras.Model(inputs, outputs)


X, Y = make_tutorial_dataset(n_samples=600, random_state=0)
warnings.simplefilter("ignore", ConvergenceWarning)  # short fits keep the example fast
custom = make_pipeline(
    StandardScaler(), MultiLabelMLPClassifier(model=regularized_mlp, max_iter=60, random_state=0)
)
builtin = make_pipeline(StandardScaler(), MultiLabelMLPClassifier((64,), max_iter=60, random_state=0))
for name, estimator in [("built-in (64,)", builtin), ("dense-BN-dropout", custom)]:
    scores = cross_val_score(estimator, X, Y, cv=3, scoring="f1_micro")
    print(f"{name:>17}: f1_micro {scores.mean():.3f} (std {scores.std():.3f})")

# %%
# Extra hyper-parameters of the builder go through :func:`functools.partial`, and
# the partials are then the values to search, e.g.
# ``{"model": [partial(regularized_mlp, rate=r) for r in (0.1, 0.3)]}``.
#
# The fitted network from Keras code
# ----------------------------------
# ``model_`` is the trained ``keras.Model``: its ``predict`` gives the same
# probabilities as the estimator (the pipeline's scaler applied first), in
# inference mode (dropout off, batch normalization on its moving averages).
custom.fit(X, Y)
clf = custom[-1]
net = clf.model_
net.summary()
Xs = custom[0].transform(X[:5]).astype(np.float32)
print(np.allclose(net.predict(Xs, verbose=0), clf.predict_proba(Xs), atol=1e-6))

# %%
# It can become part of a larger Keras model, e.g. frozen as a feature extractor;
# its layers and weights are ordinary Keras objects. To serve the network alone,
# ``net.save("net.keras")`` writes a standard Keras file.
net.trainable = False
extended = keras.Sequential([net, keras.layers.Dense(1, activation="sigmoid")])
print(extended(Xs).shape)
