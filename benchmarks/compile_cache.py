"""What the persistent compilation cache saves: first fits and grid searches in new processes.

Run from the repository root::

    python benchmarks/compile_cache.py                 # TensorFlow (about 10 minutes on 2 cores)
    KERAS_BACKEND=jax python benchmarks/compile_cache.py

Every measurement runs in a new Python process (the cache exists for them), on the
emotions data set (``SKMULTIMLP_DATA`` or ../shared/datasets), in a temporary cache
folder given by ``SKMULTIMLP_CACHE_DIR``:

1. A first fit (default parameters, 20 epochs, early stopping off) with the cache
   off, with an empty cache (cold) and with the cache the cold run filled (warm):
   the import of Keras and its backend, the first fit, and a second fit of the same
   shapes in the same process (no compilation: the run itself). The first fit minus
   the second is what a new process pays to trace and compile (or load) the loop.
2. The first compiled call of a first fit, split into tracing (Python: the
   function is traced into a graph, every process) and compiling it or loading
   it from the cache, with one epoch.
3. The first ``GridSearchCV`` of a process (alpha in 3 values, 3 folds, 20 epochs
   or ``--search-epochs``, all of them run) with ``n_jobs=1`` and ``n_jobs=2``,
   with the cache off and warm (after one search, not shown, has stored the fold
   shapes): the search (the parent imported Keras before it; joblib's workers
   import it in the search) and the whole process. ``--search-only`` runs this
   part alone.

This is a measurement script, never a timed test.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import data_dir

CHILD = """
import json, sys, time, warnings
warnings.simplefilter("ignore")
t0 = time.perf_counter()
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import StandardScaler
from skmultimlp import MultiLabelMLPClassifier
from skmultimlp._backend import import_keras
from skmultimlp.datasets import load_dataset
X, Y = load_dataset(sys.argv[1])[:2]
X = StandardScaler().fit_transform(X)
import_keras()
t1 = time.perf_counter()
est = MultiLabelMLPClassifier(max_iter=int(sys.argv[3]), early_stopping=False, random_state=0)
if sys.argv[2] == "breakdown":  # time tracing apart from compiling (or loading) the loop
    from skmultimlp._backend import _compile, _disk_cache
    import keras
    times = {}
    def compile_function(fn, autograph=False):
        if keras.backend.backend() == "jax":
            import jax
            _disk_cache.configure_jax()
            jitted = jax.jit(fn)
            def trace(*args):
                return jitted.lower(*args)
            def build(lowered):
                return lowered.compile()
        else:
            import tensorflow as tf
            jitted = tf.function(fn, jit_compile=True, reduce_retracing=False, autograph=autograph)
            def trace(*args):
                return jitted.get_concrete_function(*args)
            def build(concrete):
                return concrete
        def first_call(*args):
            t = time.perf_counter(); traced = trace(*args)
            u = time.perf_counter(); out = build(traced)(*args); keras.ops.convert_to_numpy(out["epoch"])
            times.setdefault("trace", u - t); times.setdefault("compile", time.perf_counter() - u)
            return out
        return first_call
    _compile.compile_function = compile_function
    est.fit(X, Y)
    print(json.dumps(times))
elif sys.argv[2] == "fit":
    est.fit(X, Y)
    t2 = time.perf_counter()
    est.fit(X, Y)
    t3 = time.perf_counter()
    print(json.dumps({"import": t1 - t0, "first_fit": t2 - t1, "second_fit": t3 - t2}))
else:
    est.set_params(n_iter_no_change=est.max_iter)  # every fit runs all its epochs
    GridSearchCV(est, {"alpha": [1e-4, 1e-3, 1e-2]}, cv=3, n_jobs=int(sys.argv[2])).fit(X, Y)
    print(json.dumps({"import": t1 - t0, "search": time.perf_counter() - t1}))
"""


def child(mode, cache, epochs=20):
    environ = {**os.environ, "SKMULTIMLP_CACHE_DIR": cache, "PYTHONWARNINGS": "ignore"}
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, str(data_dir() / "emotions" / "emotions.arff"),
                          mode, str(epochs)],
                         capture_output=True, text=True, env=environ, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["process"] = time.perf_counter() - start
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2,
                        help="new processes per first-fit row; the fastest is shown (default 2)")
    parser.add_argument("--search-only", action="store_true", help="only the GridSearchCV rows")
    parser.add_argument("--search-epochs", type=int, default=20,
                        help="epochs of each fit of the search (default 20)")
    args = parser.parse_args(argv)
    repeats = args.repeats
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    print(f"backend: {backend}; every run is a new process; times in seconds, "
          f"first-fit rows: fastest of {repeats}")
    with tempfile.TemporaryDirectory() as folder:
        if not args.search_only:
            first_fits(folder, repeats)
        search(os.path.join(folder, "cold0"), args.search_epochs)


def first_fits(folder, repeats):
    """The first-fit and first-call rows (1. and 2. above)."""
    print("\n| first fit | import | first fit | second fit | first - second | whole process |")
    print("|---|---|---|---|---|---|")
    fits = {}
    for label in ("cache off", "cold cache", "warm cache"):
        runs = []
        for i in range(repeats):
            cache = {"cache off": "off", "cold cache": os.path.join(folder, f"cold{i}"),
                     "warm cache": os.path.join(folder, "cold0")}[label]
            runs.append(child("fit", cache))
        r = fits[label] = min(runs, key=lambda run: run["first_fit"])
        print(f"| {label} | {r['import']:.2f} | {r['first_fit']:.2f} | {r['second_fit']:.2f} | "
              f"{r['first_fit'] - r['second_fit']:.2f} | {r['process']:.2f} |")
    ratio = fits["warm cache"]["first_fit"] / fits["cold cache"]["first_fit"]
    print(f"\nwarm / cold first fit: {ratio:.0%} (target <= 25%)")
    warm = os.path.join(folder, "cold0")
    entries = [p for p in Path(warm).rglob("*") if p.is_file()]
    print(f"cache: {len(entries)} entries, {sum(p.stat().st_size for p in entries) / 2**20:.1f} MiB")

    print("\n| first compiled call | tracing (Python) | compiling or loading, and one epoch |")
    print("|---|---|---|")
    for label, cache in (("cache off", "off"), ("warm cache", warm)):
        r = child("breakdown", cache)
        print(f"| {label} | {r['trace']:.2f} | {r['compile']:.2f} |")


def search(warm, epochs):
    """The GridSearchCV rows (3. above), with ``epochs`` per fit."""
    child("1", warm, epochs)  # stores the fold shapes too (not shown)
    print(f"\n| first GridSearchCV (9 fits of {epochs} epochs) | n_jobs=1 | n_jobs=2 "
          "| whole process, n_jobs=1 | whole process, n_jobs=2 |")
    print("|---|---|---|---|---|")
    for label, cache in (("cache off", "off"), ("warm cache", warm)):
        one, two = child("1", cache, epochs), child("2", cache, epochs)
        print(f"| {label} | {one['search']:.2f} | {two['search']:.2f} | {one['process']:.2f} "
              f"| {two['process']:.2f} |")


if __name__ == "__main__":
    main()
