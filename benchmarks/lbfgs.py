"""L-BFGS: ``_lbfgs.train_lbfgs`` against MLPClassifier(solver="lbfgs"), side by side.

Run from the repository root::

    python benchmarks/lbfgs.py                       # tutorial (30 folds) + 5 datasets
    python benchmarks/lbfgs.py --folds 6 --datasets emotions yeast
    KERAS_BACKEND=jax python benchmarks/lbfgs.py

Both fit the same network (``--hidden``, ``--alpha``, ``--max-iter``, ``tol=1e-4``,
``max_fun=15000``) with their own initialisation, on

- the tutorial data (``make_tutorial_dataset()``, 1000 x 10, 3 labels), with
  ``RepeatedKFold(n_splits=10, n_repeats=3, random_state=1)`` (its first ``--folds``);
- the shared datasets' train/test files (``--data``, ``SKMULTIMLP_DATA`` or
  ``../shared/datasets``), features scaled on the training part (StandardScaler for
  dense, MaxAbsScaler for sparse, as ``skmultimlp.benchmark``); bibtex with
  ``--bibtex-max-iter`` iterations.

Ours runs the objective in float64 and, for the cost of that choice, in float32.
Reported per method: total fit time (ours includes compiling: the first fit of each
shape, ``compile s``), mean iterations, final objective (MLPClassifier's ``loss_``
divided by the number of labels, ours ``History.best_loss``), F1-micro and subset
accuracy with threshold 0.5. SciPy's L-BFGS-B and MLPClassifier call BLAS on small
arrays; with ``--blas-threads 1`` (default) both run with one BLAS thread, which is
much faster on a loaded 2-core machine. This is a measurement script, never a test.
"""

import argparse
import os
import sys
import time
import warnings

import numpy as np
import scipy.sparse as sp

from _common import DATASETS, add_data_option, load, scores


def fit_ours(X, Y, args, max_iter, dtype, seed=0):
    """Train with ``train_lbfgs``; return (probability function, history)."""
    from skmultimlp import _training
    from skmultimlp._network import Architecture, forward_numpy

    X = np.asarray(X.toarray() if sp.issparse(X) else X, dtype=np.float32)
    arch = Architecture(X.shape[1], Y.shape[1], "sigmoid", tuple(args.hidden), "relu", 0.0)
    model = arch.build(seed)
    spec = _training.ModelSpec(arch.key(model), lambda: arch.build(0), "sigmoid", "lbfgs")
    data = _training.TrainingData(X, Y.astype(np.uint8), np.ones(len(X), np.float32), None)
    settings = _training.Settings(
        batch_size=len(X), max_iter=max_iter, shuffle=False, shuffle_seed=0,
        alpha=args.alpha, tol=1e-4, n_iter_no_change=10, pos_weight=np.ones(Y.shape[1]),
        neg_weight=np.ones(Y.shape[1]),
    )
    history = _training.train_lbfgs(model, spec, data, settings, max_fun=15000, dtype=dtype)
    weights = model.get_weights()

    def proba(Xt):
        Xt = np.asarray(Xt.toarray() if sp.issparse(Xt) else Xt, dtype=np.float32)
        return forward_numpy(Xt, weights[0::2], weights[1::2], "relu", "logistic")

    return proba, history


def run_split(X, Y, train, test, args, max_iter, results):
    """Fit every method on one split and append (seconds, n_iter, objective, f1, subset)."""
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import MaxAbsScaler, StandardScaler

    scaler = MaxAbsScaler() if sp.issparse(X) else StandardScaler()
    Xtr, Xte = scaler.fit_transform(X[train]), scaler.transform(X[test])
    Ytr, Yte = Y[train], Y[test]
    start = time.perf_counter()
    sk = MLPClassifier(tuple(args.hidden), solver="lbfgs", alpha=args.alpha, max_iter=max_iter,
                       random_state=0).fit(Xtr, Ytr)
    seconds = time.perf_counter() - start
    results.setdefault("MLPClassifier lbfgs", []).append(
        (seconds, sk.n_iter_, sk.loss_ / Y.shape[1], *_scores(Yte, sk.predict_proba(Xte)), 0.0))
    for dtype in args.dtypes:
        start = time.perf_counter()
        proba, history = fit_ours(Xtr, Ytr, args, max_iter, dtype)
        seconds = time.perf_counter() - start
        results.setdefault(f"ours lbfgs {dtype}", []).append(
            (seconds, history.n_iter, history.best_loss, *_scores(Yte, proba(Xte)),
             history.seconds_compiling))


def _scores(Y, P):
    """F1-micro and subset accuracy at threshold 0.5."""
    micro, _, subset, _ = scores(Y, (P >= 0.5).astype(np.uint8))
    return micro, subset


def print_table(title, results):
    print(f"\n### {title}\n")
    print("| method | fit s (total) | first call s | mean n_iter | objective | F1-micro | subset acc |")
    print("|---|---|---|---|---|---|---|")
    for name, rows in results.items():
        a = np.array(rows, dtype=float)
        print(f"| {name} | {a[:, 0].sum():.2f} | {a[:, 5].max():.2f} | {a[:, 1].mean():.0f} | "
              f"{a[:, 2].mean():.4f} | {a[:, 3].mean():.3f} | {a[:, 4].mean():.3f} |")
    sys.stdout.flush()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=30, help="tutorial folds (of 30)")
    parser.add_argument("--datasets", nargs="*", default=list(DATASETS))
    add_data_option(parser)
    parser.add_argument("--hidden", type=int, nargs="+", default=[50])
    parser.add_argument("--alpha", type=float, default=0.1)
    parser.add_argument("--max-iter", type=int, default=200)
    parser.add_argument("--bibtex-max-iter", type=int, default=50)
    parser.add_argument("--dtypes", nargs="+", default=["float64", "float32"])
    parser.add_argument("--blas-threads", type=int, default=1, help="0: BLAS default")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import RepeatedKFold
    from threadpoolctl import threadpool_limits

    from skmultimlp._backend import import_keras
    from skmultimlp.datasets import make_tutorial_dataset

    keras = import_keras()
    print(f"backend {keras.backend.backend()}, hidden {args.hidden}, alpha {args.alpha}, "
          f"max_iter {args.max_iter} (bibtex {args.bibtex_max_iter}), BLAS threads "
          f"{args.blas_threads or 'default'}")
    warnings.simplefilter("ignore", ConvergenceWarning)
    with threadpool_limits(args.blas_threads or None):
        X, Y = make_tutorial_dataset()
        splits = list(RepeatedKFold(n_splits=10, n_repeats=3, random_state=1).split(X))
        results = {}
        for train, test in splits[: args.folds]:
            run_split(X, Y, train, test, args, args.max_iter, results)
        print_table(f"tutorial data, {min(args.folds, 30)} folds of RepeatedKFold(10, 3)", results)
        for name in args.datasets:
            train, test = load(name, "train", args.data), load(name, "test", args.data)
            stack = sp.vstack if sp.issparse(train.X) else np.vstack
            X, Y = stack([train.X, test.X]), np.vstack([np.asarray(train.Y), np.asarray(test.Y)])
            X = X.tocsr() if sp.issparse(X) else X
            n = train.X.shape[0]
            results = {}
            max_iter = args.bibtex_max_iter if name == "bibtex" else args.max_iter
            run_split(X, Y, np.arange(n), np.arange(n, X.shape[0]), args, max_iter, results)
            print_table(f"{name} ({n} train / {X.shape[0] - n} test, {X.shape[1]} features, "
                        f"{Y.shape[1]} labels, max_iter {max_iter})", results)


if __name__ == "__main__":
    main()
