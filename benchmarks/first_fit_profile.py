"""Where the first fit of a process spends its time: a ``cProfile`` of it.

Run from the repository root, twice (the first run fills the persistent compilation
cache, the second shows a warm-cache first fit)::

    SKMULTIMLP_CACHE_DIR=/tmp/ffp python benchmarks/first_fit_profile.py
    KERAS_BACKEND=jax SKMULTIMLP_CACHE_DIR=/tmp/ffp python benchmarks/first_fit_profile.py

Emotions (``SKMULTIMLP_DATA`` or ../shared/datasets), standardised, default
parameters with 20 epochs and no early stopping; Keras is imported before the
profile. Prints the first and a second fit's seconds, then the 40 most expensive
calls by cumulative time (docs/performance.md, "Persistent compilation cache").
"""

import argparse
import cProfile
import pstats
import time
import warnings

from _common import add_data_option, load


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_option(parser)
    parser.add_argument("--top", type=int, default=40, help="calls printed (default 40)")
    args = parser.parse_args(argv)

    from sklearn.preprocessing import StandardScaler

    from skmultimlp import MultiLabelMLPClassifier
    from skmultimlp._backend import import_keras

    warnings.simplefilter("ignore")
    X, Y = load("emotions", data=args.data)[:2]
    X = StandardScaler().fit_transform(X)
    import_keras()
    estimator = MultiLabelMLPClassifier(max_iter=20, early_stopping=False, random_state=0)
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    estimator.fit(X, Y)
    profile.disable()
    first = time.perf_counter() - start
    start = time.perf_counter()
    estimator.fit(X, Y)
    print(f"first fit {first:.2f} s, second fit {time.perf_counter() - start:.2f} s")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
