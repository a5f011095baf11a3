"""The threshold tuner on a shared dataset's predefined train/test files.

Run from the repository root::

    python benchmarks/tuned_thresholds.py                 # yeast
    python benchmarks/tuned_thresholds.py --dataset emotions

Fits on NAME-train.arff (features scaled inside a pipeline as ``skmultimlp benchmark``
does: StandardScaler, MaxAbsScaler for sparse words) and scores on NAME-test.arff: the
default ``MultiLabelMLPClassifier(random_state=0)`` at 0.5, then
``MultiLabelTunedThresholdClassifierCV`` around the same pipeline with one global
threshold (tuned for F1-micro) and per-label thresholds (tuned for F1-macro), 5-fold
iterative stratification. Prints F1-micro, F1-macro and Hamming loss. A measurement
script, never a test.
"""

import argparse

from _common import add_data_option, load, scaled_mlp, scores, timed_fit


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="yeast")
    add_data_option(parser)
    args = parser.parse_args(argv)

    from skmultimlp import MultiLabelTunedThresholdClassifierCV

    train, test = load(args.dataset, "train", args.data), load(args.dataset, "test", args.data)
    mlp = scaled_mlp(train.X)
    models = {
        "MLP, threshold 0.5": mlp,
        "tuned, global (f1_micro)": MultiLabelTunedThresholdClassifierCV(mlp, scoring="f1_micro"),
        "tuned, per label (f1_macro)": MultiLabelTunedThresholdClassifierCV(
            mlp, scoring="f1_macro", strategy="per_label"
        ),
    }
    print(f"{args.dataset}: train {train.X.shape}, test {test.X.shape}")
    print(f"{'model':30s} {'F1-micro':>8s} {'F1-macro':>8s} {'Hamming':>8s} {'fit s':>6s}")
    for name, model in models.items():
        seconds = timed_fit(model, train.X, train.Y)
        micro, macro, _, hamming = scores(test.Y, model.predict(test.X))
        print(f"{name:30s} {micro:8.3f} {macro:8.3f} {hamming:8.3f} {seconds:6.1f}")


if __name__ == "__main__":
    main()
