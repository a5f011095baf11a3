"""What ``verbose=1`` costs: one compiled call per epoch instead of about 0.5 s of epochs.

Run from the repository root: ``python benchmarks/verbose.py`` (about a minute).
Emotions (``SKMULTIMLP_DATA`` or ../shared/datasets), scaled, default parameters,
``max_iter=200``; after a first fit of each setting (which compiles), the fastest of
three fits with ``verbose=0`` and with ``verbose=1`` (output discarded), and whether
the two fits are identical (loss curve and weights).
"""

import contextlib
import io
import os
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.preprocessing import StandardScaler

from skmultimlp import MultiLabelMLPClassifier
from skmultimlp.datasets import load_dataset

DATA = Path(os.environ.get("SKMULTIMLP_DATA", Path(__file__).resolve().parents[2] / "shared" / "datasets"))


def fit(X, Y, verbose, **params):
    est = MultiLabelMLPClassifier(**{"max_iter": 200, "random_state": 0, "verbose": verbose, **params})
    with contextlib.redirect_stdout(io.StringIO()):
        start = time.perf_counter()
        est.fit(X, Y)
    return time.perf_counter() - start, est


def main():
    warnings.simplefilter("ignore")
    X, Y = load_dataset(DATA / "emotions" / "emotions.arff")[:2]
    X = StandardScaler().fit_transform(X)
    for params in ({}, {"early_stopping": False, "max_iter": 60}):
        fit(X, Y, 0, **params), fit(X, Y, 1, **params)
        quiet = min(fit(X, Y, 0, **params)[0] for _ in range(3))
        loud = min(fit(X, Y, 1, **params)[0] for _ in range(3))
        a, b = fit(X, Y, 0, **params)[1], fit(X, Y, 1, **params)[1]
        same = a.loss_curve_ == b.loss_curve_ and all(
            np.array_equal(u, v) for u, v in zip(a.model_.get_weights(), b.model_.get_weights()))
        print(f"{params or 'defaults'}: {a.n_iter_} epochs, verbose=0 {quiet:.3f} s, "
              f"verbose=1 {loud:.3f} s, identical fits: {same}")


if __name__ == "__main__":
    main()
