"""The multi-label tutorial's protocol, with MultiLabelMLPClassifier.

The tutorial hand-writes a Keras loop: a Dense(20, relu) layer, three sigmoid
outputs, binary cross-entropy, Adam, 100 epochs (batch 32, Keras' default) and
RepeatedKFold(10, 3), rounding the probabilities and reporting subset accuracy.
Here the same protocol is one call to ``cross_val_score``.

Run: ``python examples/tutorial_protocol.py``
"""

import time
import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import RepeatedKFold, cross_val_score

from skmultimlp import MultiLabelMLPClassifier
from skmultimlp.datasets import make_tutorial_dataset

X, y = make_tutorial_dataset()  # make_multilabel_classification(1000, 10, n_classes=3, n_labels=2, random_state=1)
# The tutorial's network and training: Keras' Adam rate, no L2 penalty, no early stopping, 100 epochs.
model = MultiLabelMLPClassifier(
    hidden_layer_sizes=(20,), max_iter=100, batch_size=32, learning_rate_init=1e-3, alpha=0.0,
    early_stopping=False, random_state=1,
)
cv = RepeatedKFold(n_splits=10, n_repeats=3, random_state=1)

start = time.perf_counter()
with warnings.catch_warnings():
    # 100 epochs is the tutorial's fixed budget, not a convergence criterion.
    warnings.simplefilter("ignore", ConvergenceWarning)
    scores = cross_val_score(model, X, y, cv=cv, scoring="accuracy")
elapsed = time.perf_counter() - start

print(f"Subset accuracy over {len(scores)} folds: {scores.mean():.3f} (std {scores.std():.3f})")
print(f"Time for the {len(scores)} fits: {elapsed:.1f} s")
