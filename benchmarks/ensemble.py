"""``n_networks``: what an averaged ensemble of K networks gains, and what it costs.

Run from the repository root (the figures in the docs were taken with ``nice -n 10``)::

    python benchmarks/ensemble.py --datasets emotions --cv 5x2 --k 1 3 5
    python benchmarks/ensemble.py --datasets bibtex --cv 3x1 --k 1 3 5
    python benchmarks/ensemble.py --datasets medical --cv 5x1 --k 1 5 --set scoring=f1_macro
    python benchmarks/ensemble.py --datasets emotions --cv 5x1 --k 5 --tuned
    python benchmarks/ensemble.py --datasets yeast --cv 5x1 --k 3 --auto auto_per_label \
        --set class_weight=balanced scoring=f1_macro

For each fold of ``RepeatedKFold(n_splits, n_repeats, random_state=0)`` on the full
dataset (scene: train and test stacked), the default ``MultiLabelMLPClassifier``
(``random_state=0``, features scaled as in ``skmultimlp benchmark``: StandardScaler,
MaxAbsScaler for sparse words) is fitted once for each ``n_networks`` in ``--k``, the
values of one fold one after the other (so that a load change of the shared machine
hits them alike), and scored at ``threshold=0.5`` and ``"auto"`` (or ``--auto
auto_per_label``; one fit: the threshold acts at predict time). ``--tuned`` scores
``MultiLabelTunedThresholdClassifierCV`` (5 folds, one global threshold for F1-micro:
the benchmark's ``NAME_tuned``) around it instead of ``"auto"``. Printed: the means over
the folds, and for K > 1 the paired difference with K = 1 and how many folds it won.
Fit time is the median over the folds (the first fit of each K compiles its loop) and
its ratio to K = 1's, which is what to compare on a loaded machine. A measurement
script, never a test.
"""

import argparse

import numpy as np

from _common import DATASETS, add_data_option, add_params_option, load_full, parse_params, \
    scaled_mlp, scores, timed_fit


def _model(X, k, params, tuned):
    from skmultimlp import MultiLabelTunedThresholdClassifierCV

    mlp = scaled_mlp(X, n_networks=k, **params)
    return MultiLabelTunedThresholdClassifierCV(mlp) if tuned else mlp


def _f1(Y, pred):
    return list(scores(Y, pred)[:2])


def _fold(X, Y, train, test, k, params, tuned, auto):
    """F1-micro, F1-macro at 0.5 then at "auto" (or tuned), epochs, fit seconds."""
    model = _model(X, k, params, tuned)
    seconds = timed_fit(model, X[train], Y[train])
    if tuned:
        mlp = model.estimator_[-1]  # the refitted pipeline, at 0.5
        scores = _f1(Y[test], model.estimator_.predict(X[test]))
        scores += _f1(Y[test], model.predict(X[test]))
    else:
        mlp = model[-1]
        scores = _f1(Y[test], model.predict(X[test]))
        mlp.set_params(threshold=auto)
        scores += _f1(Y[test], model.predict(X[test]))
    return scores + [mlp.n_iter_, seconds]


def run(args):
    from sklearn.model_selection import RepeatedKFold

    n_splits, n_repeats = (int(v) for v in args.cv.split("x"))
    second = "tuned CV" if args.tuned else args.auto.replace("_per_label", "/label")
    print(f"{args.cv} RepeatedKFold (random_state=0), params {args.params or 'default'}; "
          "F1 means over folds, fit s the median")
    print(f"{'dataset':9s} {'K':>3s} {'micro@0.5':>9s} {'macro@0.5':>9s} {'micro@' + second:>14s} "
          f"{'macro@' + second:>14s} {'n_iter':>6s} {'fit s':>6s} {'x K=1':>6s}")
    for name in args.datasets:
        X, Y = load_full(name, args.data)
        results = {k: [] for k in args.k}
        for train, test in RepeatedKFold(n_splits=n_splits, n_repeats=n_repeats,
                                         random_state=0).split(X):
            for k in args.k:
                results[k].append(_fold(X, Y, train, test, k, args.params, args.tuned, args.auto))
        base = np.array(results[args.k[0]])
        for k in args.k:
            r = np.array(results[k])
            ratio = np.median(r[:, 5] / base[:, 5])
            print(f"{name:9s} {k:3d} {r[:, 0].mean():9.3f} {r[:, 1].mean():9.3f} {r[:, 2].mean():14.3f} "
                  f"{r[:, 3].mean():14.3f} {r[:, 4].mean():6.0f} {np.median(r[:, 5]):6.1f} {ratio:6.2f}")
        for k in args.k[1:]:
            diff = np.array(results[k])[:, :4] - base[:, :4]
            print(f"{name:9s} {k:3d} - {args.k[0]}: " + " ".join(f"{v:+.3f}" for v in diff.mean(axis=0))
                  + f"  folds better: {(diff > 0).sum(axis=0).tolist()} of {len(diff)}", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=DATASETS)
    parser.add_argument("--cv", default="5x1", help="N_SPLITSxN_REPEATS of RepeatedKFold")
    parser.add_argument("--k", nargs="+", type=int, default=[1, 3, 5],
                        help="values of n_networks; the first is the reference")
    parser.add_argument("--tuned", action="store_true",
                        help="MultiLabelTunedThresholdClassifierCV around the MLP instead of 'auto'")
    parser.add_argument("--auto", default="auto", choices=["auto", "auto_per_label"],
                        help="the tuned threshold scored beside 0.5 (without --tuned)")
    add_params_option(parser)
    add_data_option(parser)
    args = parser.parse_args(argv)
    args.params = parse_params(args.set)
    run(args)


if __name__ == "__main__":
    main()
