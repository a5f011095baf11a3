"""Writes the saved-estimator files of tests/test_persistence.py (run with the code of 2d8effa:
``python tests/data/write_saved.py tests/data``)."""
import pickle, sys
import numpy as np
import skops.io as sio
from sklearn.datasets import make_multilabel_classification
from skmultimlp import MultiLabelMLPClassifier

out = sys.argv[1]
X, Y = make_multilabel_classification(n_samples=60, n_features=5, n_classes=3, random_state=0)
X = X.astype(np.float32) / X.max()
clf = MultiLabelMLPClassifier(hidden_layer_sizes=(4,), max_iter=3, random_state=0, threshold="auto").fit(X, Y)
with open(f"{out}/saved_2d8effa.pkl", "wb") as f:
    pickle.dump(clf, f)
sio.dump(clf, f"{out}/saved_2d8effa.skops")
np.save(f"{out}/saved_2d8effa_proba.npy", clf.predict_proba(X[:5]).astype(np.float32))
print(sio.get_untrusted_types(file=f"{out}/saved_2d8effa.skops"))
