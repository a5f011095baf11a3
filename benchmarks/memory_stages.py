"""Resident memory at each stage of one sparse fit (docs/performance.md, "Sparse data at scale").

    python benchmarks/memory_stages.py              # 400k x 50k CSR, 0.1%, 200 labels
    python benchmarks/memory_stages.py --rows 100000
    python benchmarks/memory_stages.py --refit      # then a second fit: no compilation
    python benchmarks/memory_stages.py --dense      # a 100k x 1000 dense float32 X instead
    KERAS_BACKEND=jax python benchmarks/memory_stages.py --rows 100000

For each stage (the data exist, Keras imported, the training data on the backend, each
call of the compiled loop, the rest of the fit) prints the resident memory at its end
and the highest resident memory during it (GiB), sampled every millisecond by a
thread: native buffers (TensorFlow's, XLA's) are invisible to ``tracemalloc``, and
``ru_maxrss`` only gives the highest value of the whole process. One epoch,
``batch_size=2000`` (memory, not quality, is measured) unless ``--max-iter`` says.
"""

import argparse
import resource
import sys
import threading
import time
import warnings
from pathlib import Path

import numpy as np

from _common import sparse_data

PAGE = 4096


def current_gib():
    return int(Path("/proc/self/statm").read_text().split()[1]) * PAGE / 2**30


class Sampler:
    """Highest resident memory since the last ``mark``, sampled in a thread."""

    def __init__(self, interval=0.001):
        self.high, self.interval = current_gib(), interval
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        while True:
            self.high = max(self.high, current_gib())
            time.sleep(self.interval)

    def mark(self, stage, extra=""):
        now = current_gib()
        high, self.high = max(self.high, now), now
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
        print(f"{stage:<32} now {now:5.2f}  highest during {high:5.2f}  "
              f"process peak {peak:5.2f} GiB{extra}", flush=True)


def backend_bytes():
    """What the backend holds as arrays, where it can say (JAX)."""
    import keras

    if keras.backend.backend() != "jax":
        return ""
    import jax

    return f"  (JAX live arrays {sum(a.nbytes for a in jax.live_arrays()) / 2**30:.3f} GiB)"


def instrument(sampler, fit):
    """Mark a stage as each step of ``fit`` returns (``fit[0]`` names the current fit).

    Each step is wrapped where its caller looks it up: in the module that defines
    ``_training.train`` (the training driver), and for the validation split in
    ``_targets`` and in ``_fit`` if that imports it by name.
    """
    from skmultimlp import _fit, _targets, _training

    def marking(function, stage):
        def call(*args, **kwargs):
            out = function(*args, **kwargs)
            sampler.mark(f"{fit[0]}: {stage}", backend_bytes())
            return out
        return call

    def wrap(owner, name, stage):
        setattr(owner, name, marking(getattr(owner, name), stage))

    driver = sys.modules[_training.train.__module__]
    compiled_chunk = driver._compiled_chunk
    driver._compiled_chunk = lambda *args, **kwargs: marking(compiled_chunk(*args, **kwargs),
                                                             "compiled loop called")
    for module in (_targets, _fit):
        if hasattr(module, "training_data"):
            wrap(module, "training_data", "validation split")
    wrap(driver, "device_data", "data on the backend")
    wrap(driver, "watched_fit", "divergence check")
    wrap(_fit.BaseMultiLabelMLP, "_hold_validation_predictions", "validation predictions")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--dense", action="store_true")
    parser.add_argument("--refit", action="store_true", help="fit a second time (no compilation)")
    parser.add_argument("--max-iter", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=2000, help="0: the default (32)")
    args = parser.parse_args(argv)
    sampler = Sampler()
    if args.dense:
        rng = np.random.default_rng(0)
        X = rng.standard_normal((100_000, 1000), dtype=np.float32)
        Y = (X[:, :20] > 1).astype(np.uint8)
    else:
        X, Y = sparse_data(args.rows, 50_000, 0.001, 200)
    sampler.mark("data")

    from skmultimlp import MultiLabelMLPClassifier
    from skmultimlp._backend import import_keras

    import_keras()
    sampler.mark("Keras imported")
    warnings.simplefilter("ignore")
    fit = ["fit"]
    instrument(sampler, fit)
    for fit[0] in ("fit", "second fit")[: 1 + args.refit]:
        start = time.perf_counter()
        MultiLabelMLPClassifier(max_iter=args.max_iter, random_state=0,
                                batch_size=args.batch_size or 32).fit(X, Y)
        sampler.mark(f"{fit[0]}: done", f"  ({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
