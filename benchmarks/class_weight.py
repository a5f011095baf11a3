"""``class_weight="balanced"``, focal and asymmetric losses, at 0.5 and with tuned thresholds.

Run from the repository root (the docs' table was taken with ``nice -n 10``)::

    python benchmarks/class_weight.py                          # 5 shared datasets, seeds 0 1 2
    python benchmarks/class_weight.py --datasets yeast --seeds 0 --tuner

Fits ``MultiLabelMLPClassifier(random_state=seed)`` on NAME-train.arff and scores on
NAME-test.arff (features scaled as ``skmultimlp benchmark`` does), once per
variant: ``class_weight=None``, ``class_weight="balanced"``, ``loss="focal"`` and
``loss="asymmetric"`` (their default parameters). Each variant is fitted twice:

- "0.5": the defaults (early stopping on the unweighted validation loss), threshold 0.5;
  ``best`` is the epoch whose weights were restored (1-based).
- "tuned": ``scoring="f1_macro", threshold="auto_per_label"`` (early stopping on the
  validation F1-macro, per-label thresholds tuned on the same validation split; no
  extra fit).

``--tuner`` adds ``MultiLabelTunedThresholdClassifierCV(strategy="per_label",
scoring="f1_macro")`` (5 folds + refit) around the None and "balanced" variants.
Prints one line per fit as it goes, then the means over seeds. Times are of warm fits
(an untimed 1-epoch fit compiles each variant first). A measurement script, never a test.
"""

import argparse

import numpy as np

from _common import DATASETS, add_data_option, load, scaled_mlp, scores, timed_fit

VARIANTS = {
    "none": {},
    "balanced": {"class_weight": "balanced"},
    "focal": {"loss": "focal"},
    "asymmetric": {"loss": "asymmetric"},
}
TUNED = {"scoring": "f1_macro", "threshold": "auto_per_label"}
COLUMNS = ("F1-macro", "F1-micro", "Hamming")


def _one(train, test, seed, variant, params, tuner):
    """Rows (variant, protocol, F1-macro, F1-micro, Hamming, best epoch, fit s) of one seed."""
    from skmultimlp import MultiLabelTunedThresholdClassifierCV

    rows = []
    for protocol, extra in (("0.5", {}), ("tuned", TUNED)):
        model = scaled_mlp(train.X, **params, **extra, random_state=seed)
        seconds = timed_fit(model, train.X, train.Y)
        micro, macro, _, hamming = scores(test.Y, model.predict(test.X))
        best = int(np.argmin(model[-1].validation_loss_curve_)) + 1 if protocol == "0.5" else np.nan
        rows.append((variant, protocol, macro, micro, hamming, best, seconds))
    if tuner and variant in ("none", "balanced"):
        model = MultiLabelTunedThresholdClassifierCV(
            scaled_mlp(train.X, **params, random_state=seed), scoring="f1_macro", strategy="per_label"
        )
        seconds = timed_fit(model, train.X, train.Y)
        micro, macro, _, hamming = scores(test.Y, model.predict(test.X))
        rows.append((variant, "tuner CV", macro, micro, hamming, np.nan, seconds))
    return rows


def _print(name, rows, seed=None):
    variant, protocol, macro, micro, hamming, best, seconds = rows
    best = "" if np.isnan(best) else f"{best:.0f}"
    seed = "mean" if seed is None else seed
    print(f"{name:9s} {seed!s:>4s} {variant:10s} {protocol:8s} {macro:8.3f} {micro:8.3f} "
          f"{hamming:8.4f} {best:>5s} {seconds:6.1f}", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--tuner", action="store_true", help="also the cross-validated tuner")
    add_data_option(parser)
    args = parser.parse_args(argv)
    header = (f"{'dataset':9s} {'seed':>4s} {'variant':10s} {'protocol':8s} "
              + " ".join(f"{c:>8s}" for c in COLUMNS) + f" {'best':>5s} {'fit s':>6s}")
    print(header)
    means = []
    for name in args.datasets:
        train, test = load(name, "train", args.data), load(name, "test", args.data)
        per_seed = []
        for variant in args.variants:  # untimed: compiles each variant's loop
            for extra in ({}, TUNED):
                timed_fit(scaled_mlp(train.X, **VARIANTS[variant], **extra, max_iter=1),
                          train.X, train.Y)
        for seed in args.seeds:
            for variant in args.variants:
                for row in _one(train, test, seed, variant, VARIANTS[variant], args.tuner):
                    _print(name, row, seed)
                    per_seed.append(row)
        keys = list(dict.fromkeys(r[:2] for r in per_seed))
        for key in keys:
            values = np.array([r[2:] for r in per_seed if r[:2] == key], dtype=float)
            means.append((name, (*key, *values.mean(axis=0))))
    print(f"\nmeans over seeds {args.seeds}")
    print(header)
    for name, row in means:
        _print(name, row)


if __name__ == "__main__":
    main()
