"""Missing labels: masked training against full labels and "unknown as negative".

Run from the repository root::

    python benchmarks/missing_labels.py                       # emotions, yeast, medical
    python benchmarks/missing_labels.py --datasets emotions --hidden 0.7
    python benchmarks/missing_labels.py --datasets medical --tuned   # tuned thresholds
    python benchmarks/missing_labels.py --datasets medical --set n_networks=3 threshold=auto

For each dataset (the full ``NAME.arff`` of the shared datasets), 5-fold
multi-label stratified cross-validation (shuffled, seed 0). In each fold a share
``--hidden`` of the training label entries is hidden at random (seeded per fold);
three fits of the same model, ``StandardScaler`` (dense features only; medical's
sparse 0/1 word features are used as they are) then
``MultiLabelMLPClassifier(random_state=0)`` with default settings (or those of
``--set``), see:

- ``full``: every training label;
- ``masked``: the hidden entries as NaN (unknown, left out of the loss);
- ``as negative``: the hidden entries as 0, what one gets by filling the gaps.

Each is scored on the fold's test part, fully labelled, at the default threshold
0.5 (with ``--tuned``: inside ``MultiLabelTunedThresholdClassifierCV``, one global
threshold tuned for F1-micro on the known training entries). Prints the mean (and
standard deviation over the folds) of F1-micro and F1-macro, each variant's share of
the full fit's F1-micro, and mean fit seconds (compilation included). A measurement
script, never a test.
"""

import argparse

import numpy as np
from scipy import sparse

from _common import add_data_option, add_params_option, load, parse_params, scores, timed_fit

VARIANTS = ("full", "masked", "as negative")


def training_targets(Y, hidden, seed):
    """The three training targets of a fold: full, hidden as NaN, hidden as 0."""
    hide = np.random.default_rng(seed).random(Y.shape) < hidden
    masked = np.where(hide, np.nan, Y.astype(np.float64))
    return {"full": Y, "masked": masked, "as negative": np.where(hide, 0, Y)}


def run_dataset(data, hidden, n_splits, seed, tuned=False, params=None):
    """Scores (variant -> list of (F1-micro, F1-macro)) and fit seconds of each fold of ``data``."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skmultimlp import MultiLabelMLPClassifier, MultiLabelTunedThresholdClassifierCV
    from skmultimlp.model_selection import MultilabelStratifiedKFold

    # Dense features are standardised; sparse 0/1 word features (medical) are used as
    # they are (standardising them lowered F1-micro there: 0.783 -> 0.765 on full labels).
    steps = [] if sparse.issparse(data.X) else [StandardScaler()]
    results = {v: [] for v in VARIANTS}
    seconds = {v: [] for v in VARIANTS}
    cv = MultilabelStratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    for fold, (train, test) in enumerate(cv.split(data.X, data.Y)):
        targets = training_targets(data.Y[train], hidden, seed + fold)
        for variant, Y in targets.items():
            model = make_pipeline(*steps, MultiLabelMLPClassifier(random_state=0, **(params or {})))
            if tuned:  # one global threshold for F1-micro, on known entries (5-fold)
                model = MultiLabelTunedThresholdClassifierCV(model, scoring="f1_micro")
            seconds[variant].append(timed_fit(model, data.X[train], Y))
            results[variant].append(scores(data.Y[test], model.predict(data.X[test]))[:2])
    return results, seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=["emotions", "yeast", "medical"])
    add_data_option(parser)
    parser.add_argument("--hidden", type=float, default=0.5, help="share of training entries hidden")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tuned", action="store_true",
                        help="wrap each model in MultiLabelTunedThresholdClassifierCV (6x the fits)")
    add_params_option(parser, "n_networks=3 threshold=auto dropout=0.3")
    args = parser.parse_args(argv)
    params = parse_params(args.set)
    cut = "tuned for F1-micro" if args.tuned else f"threshold {params.get('threshold', 0.5)}"
    print(f"{args.folds}-fold CV, {args.hidden:.0%} of the training label entries hidden "
          f"(seed {args.seed}); test folds fully labelled; mean (std) over folds; {cut}"
          + (f"; MLP {' '.join(args.set)}" if args.set else ""))
    print("| dataset | variant | F1-micro | F1-macro | F1-micro / full | fit s |")
    print("|---|---|---|---|---|---|")
    for name in args.datasets:
        data = load(name, data=args.data)
        results, seconds = run_dataset(data, args.hidden, args.folds, args.seed, args.tuned, params)
        full_micro = np.mean([s[0] for s in results["full"]])
        for variant in VARIANTS:
            values = np.array(results[variant])
            mean, std = values.mean(axis=0), values.std(axis=0)
            print(f"| {name} {data.X.shape[0]}x{data.Y.shape[1]} | {variant} | "
                  f"{mean[0]:.3f} ({std[0]:.3f}) | {mean[1]:.3f} ({std[1]:.3f}) | "
                  f"{mean[0] / full_micro:.1%} | {np.mean(seconds[variant]):.1f} |", flush=True)


if __name__ == "__main__":
    main()
