"""Which folds of a 10-fold cross-validation on emotions compile (docs/compilation.md).

For each fold: the training rows, the padded sizes that key the compile cache, the
number of functions added to this process's cache by the fit, and the fit time.
Run from the repository root: ``python benchmarks/compile_reuse.py`` (reads
``../shared/datasets/emotions/emotions.arff`` or ``$SKMULTIMLP_DATA``).
"""
import os
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import KFold
from sklearn.preprocessing import StandardScaler

from skmultimlp import MultiLabelMLPClassifier, _backend
from skmultimlp._device_data import padded_size, padded_validation_size
from skmultimlp.datasets import load_dataset

warnings.simplefilter("ignore", ConvergenceWarning)
data = Path(os.environ.get("SKMULTIMLP_DATA", "../shared/datasets"))
X, Y = load_dataset(data / "emotions" / "emotions.arff")[:2]
X = StandardScaler().fit_transform(X)
for early in (True, False):
    clf = MultiLabelMLPClassifier(max_iter=20, early_stopping=early, random_state=0)
    for i, (train, test) in enumerate(KFold(10, shuffle=True, random_state=0).split(X)):
        n = len(train)
        n_val = int(np.ceil(0.1 * n)) if early else 0  # validation_fraction=0.1 (about: stratified)
        before, start = len(_backend._CACHE), time.perf_counter()
        clone(clf).fit(X[train], Y[train])
        seconds = time.perf_counter() - start
        print(f"early_stopping={early} fold {i}: n_train={n} fit rows={n - n_val} padded={padded_size(n)} "
              f"val rows={n_val} val padded={padded_validation_size(n_val) if early else '-'} "
              f"new compilations={len(_backend._CACHE) - before} fit {seconds:.2f} s")
