"""Resident memory after each stage of one sparse fit (docs/performance.md, "Sparse data at scale").

    python benchmarks/memory_stages.py              # 400k x 50k CSR, 0.1%, 200 labels
    python benchmarks/memory_stages.py --rows 100000
    python benchmarks/memory_stages.py --dense      # a 100k x 1000 dense float32 X instead

Prints the current and the peak RSS (GiB) after the data exist, after importing Keras,
after the training data reach the backend (sparse only) and after the compiled loop
has run, then at the end of the fit. One epoch, ``batch_size=2000`` (memory, not
quality, is measured).
"""

import argparse
import resource
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import make_data  # noqa: E402


def rss():
    current = int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**30
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    return f"current {current:.2f} GiB, peak {peak:.2f} GiB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--dense", action="store_true")
    args = parser.parse_args()
    if args.dense:
        rng = np.random.default_rng(0)
        X = rng.standard_normal((100_000, 1000), dtype=np.float32)
        Y = (X[:, :20] > 1).astype(np.uint8)
    else:
        X, Y = make_data(args.rows, 50_000, 0.001, 200)
    print("data:", rss(), flush=True)

    from skmultimlp import MultiLabelMLPClassifier, _training
    from skmultimlp._backend import import_keras

    import_keras()
    print("Keras imported:", rss(), flush=True)
    device_data, watched_fit = _training.device_data, _training.watched_fit

    def on_device(*a):
        result = device_data(*a)
        print("data on the backend:", rss(), flush=True)
        return result

    def after_loop(*a):
        print("compiled loop ran:", rss(), flush=True)
        return watched_fit(*a)

    _training.device_data, _training.watched_fit = on_device, after_loop
    warnings.simplefilter("ignore")
    MultiLabelMLPClassifier(max_iter=1, random_state=0, batch_size=2000).fit(X, Y)
    print("fit done:", rss())


if __name__ == "__main__":
    main()
