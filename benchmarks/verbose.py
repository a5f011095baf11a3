"""What ``verbose=1`` costs: one compiled call per epoch instead of about 0.5 s of epochs.

Run from the repository root: ``python benchmarks/verbose.py`` (about a minute).
Emotions (``SKMULTIMLP_DATA`` or ../shared/datasets), scaled, default parameters,
``max_iter=200``; after a first fit of each setting (which compiles), the fastest of
three fits with ``verbose=0`` and with ``verbose=1`` (output discarded), and whether
the two fits are identical (loss curve and weights).
"""

import argparse
import contextlib
import io
import time
import warnings

import numpy as np

from _common import add_data_option, load


def fit(X, Y, verbose, **params):
    from skmultimlp import MultiLabelMLPClassifier

    est = MultiLabelMLPClassifier(**{"max_iter": 200, "random_state": 0, "verbose": verbose, **params})
    with contextlib.redirect_stdout(io.StringIO()):
        start = time.perf_counter()
        est.fit(X, Y)
    return time.perf_counter() - start, est


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_option(parser)
    args = parser.parse_args(argv)

    from sklearn.preprocessing import StandardScaler

    warnings.simplefilter("ignore")
    X, Y = load("emotions", data=args.data)[:2]
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
