"""``sparse_update="lazy"`` against ``"dense"``: quality on the sparse shared datasets.

Run from the repository root (the docs' figures were taken with ``nice -n 10``)::

    python benchmarks/sparse_update.py                          # medical 5x1, bibtex 3x1
    python benchmarks/sparse_update.py --datasets medical --cv 10x1

Cross-validates the default ``MultiLabelMLPClassifier(random_state=0)`` after
``MaxAbsScaler`` (``skmultimlp benchmark``'s pipeline for sparse features) on the full
set, ``RepeatedKFold`` seeded 0: on each fold both updates are fitted on the same rows,
scored at threshold 0.5 and ``"auto"`` (one fit: ``threshold`` acts at predict time).
Prints per-fold lines as it goes, then the means, the mean paired difference lazy -
dense with its standard error over the folds, and the folds lazy wins. Fit times
include compilation on the first fold of each update (an untimed 1-epoch fit of
each compiles first). The epoch-time side is ``python benchmarks/scale.py
--columns-sweep``. A measurement script, never a test.
"""

import argparse

import numpy as np

from _common import add_data_option, load_full, scaled_mlp, scores, timed_fit

MODES = ("dense", "lazy")
THRESHOLDS = (0.5, "auto")
CV = {"medical": "5x1", "bibtex": "3x1"}


def run(name, cv_text, data):
    from sklearn.model_selection import RepeatedKFold

    X, Y = load_full(name, data)
    n_splits, n_repeats = (int(v) for v in cv_text.split("x"))
    cv = RepeatedKFold(n_splits=n_splits, n_repeats=n_repeats, random_state=0)
    for mode in MODES:  # compile both loops for the fold shapes (untimed)
        train = next(cv.split(X))[0]
        timed_fit(scaled_mlp(X, sparse_update=mode, max_iter=1), X[train], Y[train])
    results = {(m, t): [] for m in MODES for t in THRESHOLDS}  # (F1-micro, F1-macro) per fold
    seconds, n_iter = {m: [] for m in MODES}, {m: [] for m in MODES}
    for fold, (train, test) in enumerate(cv.split(X)):
        for mode in MODES:
            mlp = scaled_mlp(X, sparse_update=mode, threshold="auto")
            seconds[mode].append(timed_fit(mlp, X[train], Y[train]))
            n_iter[mode].append(mlp[-1].n_iter_)
            for threshold in THRESHOLDS:
                mlp[-1].set_params(threshold=threshold)
                results[mode, threshold].append(scores(Y[test], mlp.predict(X[test]))[:2])
            print(f"{name} fold {fold} {mode:5s} F1-micro/macro at 0.5 "
                  f"{results[mode, 0.5][-1][0]:.3f}/{results[mode, 0.5][-1][1]:.3f}, auto "
                  f"{results[mode, 'auto'][-1][0]:.3f}/{results[mode, 'auto'][-1][1]:.3f}, "
                  f"{n_iter[mode][-1]} epochs, {seconds[mode][-1]:.1f} s", flush=True)
    print(f"\n{name}: {cv_text} RepeatedKFold(random_state=0), mean over folds")
    print(f"| update | threshold | F1-micro | F1-macro | epochs | fit s |")
    print("|---|---|---|---|---|---|")
    for mode in MODES:
        for threshold in THRESHOLDS:
            micro, macro = np.mean(results[mode, threshold], axis=0)
            print(f"| {mode} | {threshold} | {micro:.3f} | {macro:.3f} | "
                  f"{np.mean(n_iter[mode]):.0f} | {np.mean(seconds[mode]):.1f} |")
    for threshold in THRESHOLDS:
        diff = np.array(results["lazy", threshold]) - np.array(results["dense", threshold])
        error = diff.std(axis=0, ddof=1) / np.sqrt(len(diff)) if len(diff) > 1 else np.zeros(2)
        print(f"lazy - dense at {threshold}: F1-micro {diff[:, 0].mean():+.4f} +- {error[0]:.4f}, "
              f"F1-macro {diff[:, 1].mean():+.4f} +- {error[1]:.4f} (standard error); lazy better "
              f"on {int((diff[:, 0] > 0).sum())} / {int((diff[:, 1] > 0).sum())} of {len(diff)} folds",
              flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(CV))
    parser.add_argument("--cv", help="NxR folds for every dataset (default: medical 5x1, bibtex 3x1)")
    add_data_option(parser)
    args = parser.parse_args(argv)
    for name in args.datasets:
        run(name, args.cv or CV.get(name, "5x1"), args.data)


if __name__ == "__main__":
    main()
