"""The threshold tuner on a shared dataset's predefined train/test files.

Run from the repository root::

    python benchmarks/tuned_thresholds.py                 # yeast
    python benchmarks/tuned_thresholds.py --dataset emotions

Fits on NAME-train.arff (features standardised inside a pipeline) and scores on
NAME-test.arff: the default ``MultiLabelMLPClassifier(random_state=0)`` at 0.5, then
``MultiLabelTunedThresholdClassifierCV`` around the same pipeline with one global
threshold (tuned for F1-micro) and per-label thresholds (tuned for F1-macro), 5-fold
iterative stratification. Prints F1-micro, F1-macro and Hamming loss. A measurement
script, never a test.
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's package

from sklearn.metrics import f1_score, hamming_loss  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from skmultimlp import MultiLabelMLPClassifier, MultiLabelTunedThresholdClassifierCV  # noqa: E402
from skmultimlp.datasets import load_dataset  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="yeast")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    train = load_dataset(args.data / args.dataset / f"{args.dataset}-train.arff")
    test = load_dataset(args.data / args.dataset / f"{args.dataset}-test.arff")
    mlp = make_pipeline(StandardScaler(), MultiLabelMLPClassifier(random_state=0))
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
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(train.X, train.Y)
        seconds = time.perf_counter() - start
        pred = model.predict(test.X)
        print(
            f"{name:30s} {f1_score(test.Y, pred, average='micro'):8.3f} "
            f"{f1_score(test.Y, pred, average='macro', zero_division=0):8.3f} "
            f"{hamming_loss(test.Y, pred):8.3f} {seconds:6.1f}"
        )


if __name__ == "__main__":
    main()
