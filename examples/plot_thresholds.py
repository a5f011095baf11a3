"""
Choosing decision thresholds
============================

``predict`` sets label ``j`` where ``predict_proba(X)[:, j] >= thresholds_[j]``.
The ``threshold`` parameter (0.5 by default) takes effect at predict time, so it can
be changed on a fitted estimator without refitting, and
:class:`~skmultimlp.MultiLabelTunedThresholdClassifierCV` picks thresholds from
out-of-fold probabilities. This example uses data with rare labels, where 0.5 is
too high a bar for them.
"""

# %%
# Data with rare labels
# ---------------------
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmultimlp import MultiLabelMLPClassifier, MultiLabelTunedThresholdClassifierCV

X, Y = make_multilabel_classification(
    600, 20, n_classes=6, n_labels=1, allow_unlabeled=True, random_state=0
)
print("share of positives per label:", Y.mean(axis=0).round(2))
X_train, X_test, Y_train, Y_test = train_test_split(X, Y, test_size=0.5, random_state=0)

warnings.simplefilter("ignore", ConvergenceWarning)  # short fits keep the example fast
clf = MultiLabelMLPClassifier(max_iter=60, random_state=0)
pipe = make_pipeline(StandardScaler(), clf).fit(X_train, Y_train)

# %%
# The threshold at predict time
# -----------------------------
# ``set_params(threshold=...)`` changes ``predict`` (and ``thresholds_``) of the
# fitted estimator; ``predict_proba`` stays the same.
candidates = np.linspace(0.05, 0.95, 19)
scores = []
for t in candidates:
    pipe.set_params(multilabelmlpclassifier__threshold=t)
    scores.append(f1_score(Y_test, pipe.predict(X_test), average="macro", zero_division=0))
best = candidates[int(np.argmax(scores))]
print(f"F1-macro at 0.5: {scores[9]:.3f}; best on the test rows: {max(scores):.3f} at {best:.2f}")

fig, ax = plt.subplots(figsize=(5, 3))
ax.plot(candidates, scores, marker="o")
ax.set_xlabel("threshold (all labels)")
ax.set_ylabel("F1-macro on the test rows")
fig.tight_layout()
plt.show()

# %%
# Tuning the thresholds on out-of-fold probabilities
# --------------------------------------------------
# Picking the threshold on the test rows, as above, is optimistic. The tuner picks
# it from out-of-fold probabilities of the training data, then refits on all of it.
# With ``strategy="per_label"`` each label gets its own threshold, shrunk toward the
# global one for labels with few positives.
pipe.set_params(multilabelmlpclassifier__threshold=0.5)
for strategy in ("global", "per_label"):
    tuned = MultiLabelTunedThresholdClassifierCV(
        pipe, scoring="f1_macro", strategy=strategy, cv=3
    ).fit(X_train, Y_train)
    score = f1_score(Y_test, tuned.predict(X_test), average="macro", zero_division=0)
    print(f"{strategy:>9}: thresholds {np.round(tuned.thresholds_, 2)}, F1-macro {score:.3f}")
