"""What ``fit`` adds to the process's memory for an int64 (or any) label matrix.

Run from the repository root (Linux: it reads and resets ``/proc/self`` counters)::

    python benchmarks/target_memory.py                  # 400,000 x 200 int64 labels
    python benchmarks/target_memory.py --dtype uint8

A warm-up fit on the first 70,000 rows compiles the loop; then the peak resident
memory is reset (``/proc/self/clear_refs``) and a 1-epoch fit on all rows (20
float32 features, ``(16,)`` hidden units, no early stopping) is measured: its peak
(``VmHWM``) minus the resident memory before it. The fit's uint8 copy of a
non-uint8 target is allocated 64-byte aligned, so the backend shares it instead of
copying it again (docs/performance.md). A measurement script, never a test.
"""

import argparse
import warnings
from pathlib import Path

import numpy as np


def _status_kib(field):
    return int(Path("/proc/self/status").read_text().split(f"{field}:")[1].split()[0])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--labels", type=int, default=200)
    parser.add_argument("--dtype", default="int64", help="dtype of the label matrix passed to fit")
    args = parser.parse_args(argv)

    from skmultimlp import MultiLabelMLPClassifier
    from skmultimlp._backend import import_keras

    warnings.simplefilter("ignore")
    import_keras()
    rng = np.random.default_rng(0)
    X = rng.normal(size=(args.rows, 20)).astype(np.float32)
    Y = (rng.random((args.rows, args.labels)) < 0.05).astype(args.dtype)
    model = MultiLabelMLPClassifier((16,), max_iter=1, early_stopping=False, random_state=0)
    model.fit(X[:70_000], Y[:70_000])
    before = _status_kib("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    model.fit(X, Y)
    extra = (_status_kib("VmHWM") - before) / 1024
    print(f"{args.rows} x {args.labels} {args.dtype} labels: fit extra {extra:.0f} MiB "
          f"(Y as uint8: {args.rows * args.labels / 2**20:.0f} MiB)")


if __name__ == "__main__":
    main()
