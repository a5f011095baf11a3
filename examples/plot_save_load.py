"""
Saving and loading a fitted estimator
=====================================

A fitted :class:`~skmultimlp.MultiLabelMLPClassifier` is saved as plain data (its
parameters, fitted attributes, the Keras config of ``model_`` and its weights), so
it loads in another process, on another machine or under another Keras backend.
`skops <https://skops.readthedocs.io>`_ (``pip install "skmultimlp[persist]"``) is
the format to use for files that may come from someone else: loading builds only the
types you agree to. A whole ``Pipeline`` saves the same way.
"""

# %%
import tempfile
import warnings
from pathlib import Path

import numpy as np
import skops.io as sio
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmultimlp import MultiLabelMLPClassifier
from skmultimlp.datasets import make_tutorial_dataset

X, Y = make_tutorial_dataset(n_samples=300, random_state=0)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    pipe = make_pipeline(StandardScaler(), MultiLabelMLPClassifier(max_iter=30, random_state=0)).fit(X, Y)

folder = tempfile.TemporaryDirectory()
path = Path(folder.name) / "pipeline.skops"
sio.dump(pipe, path)
print(f"{path.name}: {path.stat().st_size / 1024:.0f} KiB")

# %%
# Loading: read the list of types the file needs beyond skops' defaults, and trust
# it only after reading it. Here the only one is the estimator itself.
untrusted = sio.get_untrusted_types(file=path)
print(untrusted)
loaded = sio.load(path, trusted=untrusted)

# The built-in network predicts in NumPy from ``coefs_`` and ``intercepts_``: the
# probabilities are identical to the bit.
print(np.array_equal(loaded.predict_proba(X), pipe.predict_proba(X)))
print(loaded[-1].classes_, loaded[-1].thresholds_)

# %%
# ``pickle`` and ``joblib.dump`` store the same state and are fine for your own files
# (caching, parallel workers); never load a pickle you did not make, since loading
# it runs whatever code it names. ``model_.save("net.keras")`` writes a plain Keras
# file of the network, without ``classes_`` or ``thresholds_``: it cannot restore
# the estimator.
folder.cleanup()
