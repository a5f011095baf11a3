"""``threshold="auto"`` against the cross-validated threshold tuner, and 0.5 against "auto".

Run from the repository root (the timings in the docs were taken with ``nice -n 10``)::

    python benchmarks/threshold_auto.py compare            # predefined train/test files
    python benchmarks/threshold_auto.py default --cv 10x3  # RepeatedKFold on the full sets
    python benchmarks/threshold_auto.py default --cv 5x1 --datasets medical --set max_iter=500
    python benchmarks/threshold_auto.py max_iter --datasets medical   # epochs a fit needs

``compare`` fits on NAME-train.arff and scores on NAME-test.arff of each shared dataset:
the default ``MultiLabelMLPClassifier(random_state=0)`` with ``threshold=0.5``,
``"auto"`` and ``"auto_per_label"`` (one fit: ``threshold`` acts at predict time), one
more fit with ``scoring="f1_macro", threshold="auto_per_label"``, and
``MultiLabelTunedThresholdClassifierCV`` (5 folds + refit) around the 0.5 MLP, global
for F1-micro and per label for F1-macro. Times are of warm fits (the compiled loop is
built by an untimed run first). ``default`` cross-validates the default MLP
(``RepeatedKFold``, seeded 0) on the full sets (scene: train and test stacked) and the
tutorial set, scoring each fit at 0.5, "auto" and "auto_per_label"; it also prints the
paired difference auto - 0.5 (mean and folds won). ``max_iter`` fits NAME-train.arff
with seeds 0, 1, 2 and ``max_iter`` 200 and 1000: epochs run, best epoch, test
F1-micro. Features are scaled as in ``skmultimlp benchmark`` (StandardScaler,
MaxAbsScaler for sparse words). A measurement
script, never a test.
"""

import argparse

import numpy as np

from _common import DATASETS, add_data_option, add_params_option, load, load_full, parse_params, \
    scaled_mlp, scores, timed_fit

THRESHOLDS = (0.5, "auto", "auto_per_label")


def compare(args):
    from sklearn.base import clone

    from skmultimlp import MultiLabelTunedThresholdClassifierCV

    print(f"{'dataset':9s} {'model':44s} {'F1-micro':>8s} {'F1-macro':>8s} {'fit s':>6s}")
    for name in args.datasets:
        train, test = load(name, "train", args.data), load(name, "test", args.data)
        base = scaled_mlp(train.X, **args.params)
        # untimed: compiles the training loop for the shapes of the full set and of the
        # folds, so that the times below compare fits, not compilations
        timed_fit(MultiLabelTunedThresholdClassifierCV(clone(base)), train.X, train.Y)
        mlp = clone(base)
        seconds = timed_fit(mlp, train.X, train.Y)
        rows = []
        for threshold in THRESHOLDS:
            mlp[-1].set_params(threshold=threshold)
            rows.append((f"MLP, threshold={threshold!r}", mlp.predict(test.X), seconds))
        macro = scaled_mlp(train.X, **{**args.params, "scoring": "f1_macro", "threshold": "auto_per_label"})
        seconds = timed_fit(macro, train.X, train.Y)
        rows.append(("MLP, auto_per_label + scoring='f1_macro'", macro.predict(test.X), seconds))
        for label, params in (("tuner CV, global, f1_micro", dict(scoring="f1_micro")),
                              ("tuner CV, per_label, f1_macro",
                               dict(scoring="f1_macro", strategy="per_label"))):
            tuner = MultiLabelTunedThresholdClassifierCV(clone(base), **params)
            seconds = timed_fit(tuner, train.X, train.Y)
            rows.append((label, tuner.predict(test.X), seconds))
        for label, pred, seconds in rows:
            micro, macro_f1 = scores(test.Y, pred)[:2]
            print(f"{name:9s} {label:44s} {micro:8.3f} {macro_f1:8.3f} {seconds:6.1f}", flush=True)


def default(args):
    from sklearn.model_selection import RepeatedKFold

    n_splits, n_repeats = (int(v) for v in args.cv.split("x"))
    metrics = ("F1-micro", "F1-macro", "subset acc", "Hamming")
    print(f"{args.cv} RepeatedKFold (random_state=0), params {args.params or 'default'}; mean over folds")
    print(f"{'dataset':9s} {'threshold':16s} " + " ".join(f"{m:>10s}" for m in metrics)
          + f" {'n_iter':>6s} {'fit s':>6s}")
    for name in args.datasets:
        X, Y = load_full(name, args.data)
        cv = RepeatedKFold(n_splits=n_splits, n_repeats=n_repeats, random_state=0)
        folds = {t: [] for t in THRESHOLDS}
        n_iter, seconds = [], []
        for train, test in cv.split(X):
            mlp = scaled_mlp(X, **args.params)
            seconds.append(timed_fit(mlp, X[train], Y[train]))
            n_iter.append(mlp[-1].n_iter_)
            for threshold in THRESHOLDS:
                mlp[-1].set_params(threshold=threshold)
                folds[threshold].append(scores(Y[test], mlp.predict(X[test])))
        for threshold in THRESHOLDS:
            mean = np.mean(folds[threshold], axis=0)
            print(f"{name:9s} {threshold!r:16s} " + " ".join(f"{v:10.3f}" for v in mean)
                  + f" {np.mean(n_iter):6.0f} {np.mean(seconds):6.1f}")
        for threshold in THRESHOLDS[1:]:
            diff = np.array(folds[threshold]) - np.array(folds[0.5])
            won = (diff[:, :3] > 0).sum(axis=0).tolist() + [int((diff[:, 3] < 0).sum())]
            print(f"{name:9s} {threshold + ' - 0.5':16s} "
                  + " ".join(f"{v:+10.3f}" for v in diff.mean(axis=0))
                  + f"   folds better: {won} of {len(diff)}", flush=True)


def max_iter(args):
    from sklearn.metrics import f1_score

    print(f"{'dataset':9s} {'seed':>4s} {'max_iter':>8s} {'n_iter':>6s} {'best':>6s} {'F1-micro':>8s}")
    for name in args.datasets:
        train, test = load(name, "train", args.data), load(name, "test", args.data)
        for seed in (0, 1, 2):
            for limit in (200, 1000):
                mlp = scaled_mlp(train.X, **{**args.params, "max_iter": limit, "random_state": seed})
                timed_fit(mlp, train.X, train.Y)
                best = int(np.argmin(mlp[-1].validation_loss_curve_)) + 1
                micro = f1_score(test.Y, mlp.predict(test.X), average="micro")
                print(f"{name:9s} {seed:4d} {limit:8d} {mlp[-1].n_iter_:6d} {best:6d} {micro:8.3f}",
                      flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=("compare", "default", "max_iter"))
    parser.add_argument("--datasets", nargs="+")
    add_data_option(parser)
    parser.add_argument("--cv", default="10x3", help="N_SPLITSxN_REPEATS of RepeatedKFold (default)")
    add_params_option(parser, "max_iter=500")
    args = parser.parse_args(argv)
    args.params = parse_params(args.set)
    if args.part in ("compare", "max_iter"):
        args.datasets = args.datasets or list(DATASETS)
        (compare if args.part == "compare" else max_iter)(args)
    else:
        args.datasets = args.datasets or [*DATASETS, "tutorial"]
        default(args)


if __name__ == "__main__":
    main()
