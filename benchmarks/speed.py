"""Speed and memory of MultiLabelMLPClassifier against the tutorial's Keras loop.

Run from the repository root::

    python benchmarks/speed.py                  # full run (about 5-10 minutes on 2 cores)
    python benchmarks/speed.py --quick          # smoke run (about a minute)
    KERAS_BACKEND=jax python benchmarks/speed.py --json jax.json

Everything runs side by side in one process, so ratios are measured under the same
conditions. Four parts:

1. The tutorial workload: ``make_multilabel_classification(1000, 10, n_classes=3,
   n_labels=2, random_state=1)``, 20 hidden units, 100 epochs, batch 32,
   ``RepeatedKFold(n_splits=10, n_repeats=3, random_state=1)`` (30 fits of 900
   rows), with

   (a) the tutorial's own Keras loop (a new ``keras.Sequential`` per fold,
       ``model.fit(..., epochs=100)``), on its first ``--folds`` folds only, its
       total extrapolated to 30 fits;
   (b) :class:`sklearn.neural_network.MLPClassifier`, all 30 folds;
   (c) scikeras' ``KerasClassifier`` when scikeras is installed (skipped with a
       note otherwise), on the same folds as (a);
   (d) :class:`skmultimlp.MultiLabelMLPClassifier`, all 30 folds; its first fit
       includes compiling the training function and is reported separately.

2. ``predict_proba`` latency for 1 and 10,000 rows (median over repeats), against
   MLPClassifier fitted on the same data, and ``model_.predict`` for reference.

3. A larger workload (200,000 x 100 features, 50 labels from a random linear
   teacher, hidden (256,), batch 256): training samples per second and the peak
   resident memory added by ``fit``, compared with the size of X, after 1 and
   after 5 epochs (a copy of X per epoch would make the second larger).

4. The machine and library versions.

This is a measurement script, never a timed test.
"""

import argparse
import contextlib
import datetime
import importlib.metadata
import importlib.util
import json
import os
import platform
import statistics
import sys
import threading
import time
import timeit
import warnings

import numpy as np

PROTOCOL_FITS = 30
HIDDEN = 20
EPOCHS = 100
BATCH = 32


# ------------------------------------------------------------------ helpers
def versions():
    out = {"python": platform.python_version()}
    for name in ("numpy", "scikit-learn", "keras", "tensorflow", "jax", "jaxlib", "scikeras",
                 "skmultimlp"):
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = None
    return out


def machine():
    model = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = None
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    mem = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_model": model,
        "memory_gib": mem,
        "platform": platform.platform(),
    }


def rss_bytes():
    """Current resident set size of this process (VmRSS)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def hwm_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def release_free_memory():
    """Return freed heap to the OS (glibc ``malloc_trim``) so RSS baselines are comparable.

    Without it, memory freed by a previous fit stays resident and a later fit can
    reuse it without raising RSS, which would understate that fit's peak.
    """
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def reset_hwm():
    """Reset the kernel's peak-RSS counter (VmHWM); False where not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


class PeakRSS:
    """Peak resident memory during a block, over the RSS at its start.

    TensorFlow/XLA and JAX allocate outside Python's allocator, so tracemalloc
    does not see them; this samples VmRSS from a background thread (every
    ``interval`` seconds) and, where the kernel allows, also reads VmHWM after
    resetting it, which catches peaks shorter than the sampling interval.
    """

    def __init__(self, interval=0.002):
        self.interval = interval

    def __enter__(self):
        release_free_memory()
        self.baseline = rss_bytes()
        self.hwm_ok = reset_hwm()
        self.peak = self.baseline
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_bytes())
            time.sleep(self.interval)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes())
        if self.hwm_ok:
            self.peak = max(self.peak, hwm_bytes())
        self.extra = self.peak - self.baseline
        return False


@contextlib.contextmanager
def no_convergence_warnings():
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def median_latency(fn, min_time=0.2, repeat=7):
    """timeit-style: calls per loop from autorange, then the median of ``repeat`` loops."""
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    number = max(1, int(number * min_time / 0.2))
    times = timer.repeat(repeat=repeat, number=number)
    return statistics.median(times) / number


def fmt_s(x):
    if x is None:
        return "-"
    if x >= 100:
        return f"{x:.0f} s"
    if x >= 1:
        return f"{x:.2f} s"
    if x >= 1e-3:
        return f"{x * 1e3:.2f} ms"
    return f"{x * 1e6:.1f} us"


def table(headers, rows):
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    line = "  ".join("-" * w for w in widths)
    out = [line, "  ".join(str(h).ljust(w) for h, w in zip(headers, widths)), line]
    out += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)) for r in rows]
    out.append(line)
    return "\n".join(out)


# --------------------------------------------------------- tutorial workload
def tutorial_data():
    from sklearn.datasets import make_multilabel_classification

    return make_multilabel_classification(1000, 10, n_classes=3, n_labels=2, random_state=1)


def folds(X):
    from sklearn.model_selection import RepeatedKFold

    cv = RepeatedKFold(n_splits=10, n_repeats=3, random_state=1)
    return list(cv.split(X))


def tutorial_model(n_features, n_labels):
    """The tutorial's network: Dense(20, he_uniform, relu), one sigmoid per label."""
    import keras
    from keras.layers import Dense

    return keras.Sequential([
        keras.Input((n_features,)),
        Dense(HIDDEN, kernel_initializer="he_uniform", activation="relu"),
        Dense(n_labels, activation="sigmoid"),
    ])


def time_folds(X, Y, splits, fit_predict, cleanup=None):
    """Time ``fit_predict(i, X_train, Y_train, X_test) -> (Y_pred, n_iter)`` per fold.

    Returns the seconds of each fold (fit and predict), its subset accuracy and the
    epochs run (``None`` when ``n_iter`` is). ``cleanup`` runs after each fold,
    outside the timing.
    """
    from sklearn.metrics import accuracy_score

    times, scores, iters = [], [], []
    for i, (train, test) in enumerate(splits):
        t0 = time.perf_counter()
        yhat, n_iter = fit_predict(i, X[train], Y[train], X[test])
        times.append(time.perf_counter() - t0)
        scores.append(accuracy_score(Y[test], yhat))
        iters.append(n_iter)
        if cleanup is not None:
            cleanup()
    return times, scores, None if iters[0] is None else iters


def run_keras_loop(X, Y, splits):
    """(a) The tutorial's loop, verbatim apart from verbose=0 in predict."""
    import keras

    def fit_predict(i, X_train, Y_train, X_test):
        model = tutorial_model(X.shape[1], Y.shape[1])
        model.compile(loss="binary_crossentropy", optimizer="adam")
        model.fit(X_train, Y_train, verbose=0, epochs=EPOCHS)
        return model.predict(X_test, verbose=0).round(), None

    return time_folds(X, Y, splits, fit_predict, keras.backend.clear_session)


def run_sklearn(X, Y, splits):
    """(b) MLPClassifier with the same architecture and budget."""
    from sklearn.neural_network import MLPClassifier

    def fit_predict(i, X_train, Y_train, X_test):
        clf = MLPClassifier(hidden_layer_sizes=(HIDDEN,), batch_size=BATCH, max_iter=EPOCHS,
                            random_state=i)
        with no_convergence_warnings():
            clf.fit(X_train, Y_train)
        return clf.predict(X_test), clf.n_iter_

    return time_folds(X, Y, splits, fit_predict)


def run_scikeras(X, Y, splits):
    """(c) scikeras' KerasClassifier wrapping the tutorial's model."""
    import keras
    from scikeras.wrappers import KerasClassifier

    def get_model():
        return tutorial_model(X.shape[1], Y.shape[1])

    def fit_predict(i, X_train, Y_train, X_test):
        clf = KerasClassifier(model=get_model, loss="binary_crossentropy", optimizer="adam",
                              epochs=EPOCHS, batch_size=BATCH, verbose=0, random_state=i)
        clf.fit(X_train, Y_train)
        return np.asarray(clf.predict(X_test)), None

    return time_folds(X, Y, splits, fit_predict, keras.backend.clear_session)


def run_skmultimlp(X, Y, splits):
    """(d) MultiLabelMLPClassifier; the first fit compiles."""
    from skmultimlp import MultiLabelMLPClassifier

    def fit_predict(i, X_train, Y_train, X_test):
        clf = MultiLabelMLPClassifier((HIDDEN,), max_iter=EPOCHS, batch_size=BATCH,
                                      learning_rate_init=1e-3, alpha=0.0,
                                      early_stopping=False, random_state=i)
        with no_convergence_warnings():
            clf.fit(X_train, Y_train)
        return clf.predict(X_test), clf.n_iter_

    return time_folds(X, Y, splits, fit_predict)


def summarize(name, times, scores, iters, n_measured, compile_first=False):
    """Per-fit time, 30-fit total (measured or extrapolated) and mean accuracy."""
    r = {"name": name, "fits_measured": n_measured, "fit_times_s": times,
         "subset_accuracy": scores, "mean_subset_accuracy": float(np.mean(scores))}
    if iters is not None:
        r["mean_n_iter"] = float(np.mean(iters))
    if compile_first and len(times) > 1:
        r["first_fit_s"] = times[0]
        r["steady_per_fit_s"] = float(np.mean(times[1:]))
        r["per_fit_s"] = r["steady_per_fit_s"]
        r["total_30_s"] = times[0] + r["steady_per_fit_s"] * (PROTOCOL_FITS - 1)
    else:
        r["per_fit_s"] = float(np.mean(times))
        r["total_30_s"] = r["per_fit_s"] * PROTOCOL_FITS
    r["extrapolated"] = n_measured < PROTOCOL_FITS
    return r


# ----------------------------------------------------------- predict latency
def latency(X, Y):
    from sklearn.neural_network import MLPClassifier

    from skmultimlp import MultiLabelMLPClassifier

    with no_convergence_warnings():
        ours = MultiLabelMLPClassifier((HIDDEN,), max_iter=EPOCHS, batch_size=BATCH,
                                       random_state=0).fit(X, Y)
        ref = MLPClassifier(hidden_layer_sizes=(HIDDEN,), batch_size=BATCH, max_iter=EPOCHS,
                            random_state=0).fit(X, Y)
    rng = np.random.default_rng(0)
    inputs = {"1 row": X[:1], "10,000 rows": X[rng.integers(0, len(X), 10_000)]}
    out = {}
    for label, x in inputs.items():
        t_ours = median_latency(lambda: ours.predict_proba(x))
        t_ref = median_latency(lambda: ref.predict_proba(x))
        t_keras = median_latency(lambda: ours.model_.predict(x, verbose=0), min_time=0.5, repeat=5)
        out[label] = {"skmultimlp_predict_proba_s": t_ours, "mlpclassifier_predict_proba_s": t_ref,
                      "ratio_to_mlpclassifier": t_ours / t_ref, "keras_model_predict_s": t_keras}
    return out


# ------------------------------------------------------------ large workload
def large_data(n_samples, n_features=100, n_labels=50, positive_rate=0.10, seed=0):
    """Gaussian X and labels from a random linear teacher, ~10% positives per label."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features), dtype=np.float32)
    W = rng.standard_normal((n_features, n_labels), dtype=np.float32) / np.sqrt(n_features)
    b = rng.standard_normal(n_labels, dtype=np.float32) * 0.1
    scores = X @ W + b
    thresholds = np.quantile(scores, 1 - positive_rate, axis=0)
    Y = (scores > thresholds).astype(np.int8)
    del scores
    return X, Y


def large_workload(n_samples, epochs=5, hidden=256, batch=256):
    from skmultimlp import MultiLabelMLPClassifier

    X, Y = large_data(n_samples)

    def make(max_iter):
        # tol=0: run every epoch (no early stop), to measure throughput per epoch.
        return MultiLabelMLPClassifier((hidden,), max_iter=max_iter, batch_size=batch, tol=0.0,
                                       early_stopping=False,
                                       n_iter_no_change=max_iter + 1, random_state=0)

    result = {"n_samples": n_samples, "n_features": X.shape[1], "n_labels": Y.shape[1],
              "positive_rate": float(Y.mean()), "hidden": hidden, "batch_size": batch,
              "X_nbytes": int(X.nbytes), "X_dtype": str(X.dtype)}
    with no_convergence_warnings():
        # First fit: compiles (cached by architecture and padded shape, not by max_iter).
        with PeakRSS() as m0:
            t0 = time.perf_counter()
            make(1).fit(X, Y)
            result["first_fit_1_epoch_s"] = time.perf_counter() - t0
        result["first_fit_peak_extra_bytes"] = m0.extra
        runs = {}
        for n_epochs in (1, epochs):
            with PeakRSS() as m:
                t0 = time.perf_counter()
                clf = make(n_epochs).fit(X, Y)
                elapsed = time.perf_counter() - t0
            assert clf.n_iter_ == n_epochs, clf.n_iter_
            runs[n_epochs] = {"fit_s": elapsed, "peak_extra_bytes": m.extra,
                              "baseline_rss_bytes": m.baseline, "hwm_used": m.hwm_ok}
            del clf
    result["fits"] = {str(k): v for k, v in runs.items()}
    one, many = runs[1], runs[epochs]
    result["epochs"] = epochs
    # Per-epoch time from the difference removes the fixed cost (validation, padding, copy).
    per_epoch = (many["fit_s"] - one["fit_s"]) / (epochs - 1)
    result["samples_per_s_fit"] = n_samples * epochs / many["fit_s"]
    result["samples_per_s_steady"] = n_samples / per_epoch if per_epoch > 0 else None
    result["fixed_cost_s"] = one["fit_s"] - per_epoch
    result["peak_extra_over_X"] = many["peak_extra_bytes"] / X.nbytes
    result["peak_extra_1_epoch_over_X"] = one["peak_extra_bytes"] / X.nbytes
    result["growth_1_to_n_epochs_over_X"] = (many["peak_extra_bytes"] - one["peak_extra_bytes"]) / X.nbytes
    return result


# ---------------------------------------------------------------------- main
def print_header(args, backend):
    """Print the run's date, backend, machine and versions; return them as a dict."""
    info = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "command": " ".join([os.path.basename(sys.executable)] + sys.argv),
            "backend": backend, "machine": machine(), "versions": versions(),
            "quick": args.quick}
    print("skmultimlp speed benchmark")
    print(f"  date      {info['date']}")
    print(f"  backend   {backend} (KERAS_BACKEND={os.environ.get('KERAS_BACKEND', '<unset>')})")
    m = info["machine"]
    print(f"  machine   {m['nproc']} CPUs, {m['cpu_model']}, {m['memory_gib']} GiB, {m['platform']}")
    print("  versions  " + ", ".join(f"{k} {v}" for k, v in info["versions"].items() if v))
    print()
    return info


def tutorial_part(X, Y, splits, backend, n_fast, n_slow):
    """[1]: (a)-(d) on the tutorial workload; their summaries by letter."""
    print(f"[1] Tutorial workload: X {X.shape}, Y {Y.shape}, hidden ({HIDDEN},), {EPOCHS} epochs, "
          f"batch {BATCH}, RepeatedKFold(10, 3) = {PROTOCOL_FITS} fits of {len(splits[0][0])} rows",
          flush=True)
    results = {}
    # (d) first, so that its first fit pays the backend's one-time start-up costs too.
    t, s, it = run_skmultimlp(X, Y, splits[:n_fast])
    results["d"] = summarize(f"(d) MultiLabelMLPClassifier [{backend}]", t, s, it, n_fast,
                             compile_first=True)
    print(f"  (d) done: {n_fast} fits", flush=True)
    t, s, it = run_sklearn(X, Y, splits[:n_fast])
    results["b"] = summarize("(b) sklearn MLPClassifier", t, s, it, n_fast)
    print(f"  (b) done: {n_fast} fits", flush=True)
    t, s, it = run_keras_loop(X, Y, splits[:n_slow])
    results["a"] = summarize(f"(a) tutorial Keras loop [{backend}]", t, s, it, n_slow)
    print(f"  (a) done: {n_slow} fits", flush=True)
    if importlib.util.find_spec("scikeras") is not None:
        try:
            t, s, it = run_scikeras(X, Y, splits[:n_slow])
            results["c"] = summarize(f"(c) scikeras KerasClassifier [{backend}]", t, s, it, n_slow)
            print(f"  (c) done: {n_slow} fits", flush=True)
        except Exception as exc:  # an optional peer: report, do not abort the run
            print(f"  (c) scikeras failed: {type(exc).__name__}: {exc}")
            results["c"] = {"skipped": f"{type(exc).__name__}: {exc}"}
    else:
        print("  (c) scikeras is not installed: skipped (pip install scikeras to include it)")
        results["c"] = {"skipped": "scikeras not installed"}
    print_tutorial(results)
    return results


def print_tutorial(results):
    """The table of [1], and (d)'s speed-up over (a) and (b) (added to ``results``)."""
    d = results["d"]
    rows = []
    for key in ("a", "b", "c", "d"):
        r = results[key]
        if "skipped" in r:
            rows.append([f"({key}) scikeras", "skipped", "-", "-", "-", "-"])
            continue
        ratio = r["total_30_s"] / d["total_30_s"]
        total = fmt_s(r["total_30_s"]) + (f" (extrapolated from {r['fits_measured']})"
                                          if r["extrapolated"] else "")
        iters = f"{r['mean_n_iter']:.1f}" if "mean_n_iter" in r else f"{EPOCHS}"
        rows.append([r["name"], fmt_s(r["per_fit_s"]), total, f"{r['mean_subset_accuracy']:.3f}",
                     iters, "-" if key == "d" else f"{ratio:.1f}x"])
    print()
    print(table(["estimator", "per fit", f"total, {PROTOCOL_FITS}-fold protocol",
                 "mean subset acc.", "epochs run", "(d) is faster by"], rows))
    print(f"  (d) first fit (includes compiling): {fmt_s(d['first_fit_s'])}; steady per fit "
          f"{fmt_s(d['steady_per_fit_s'])}; total = first + {PROTOCOL_FITS - 1} x steady"
          + (" (extrapolated)" if d["extrapolated"] else " (measured)"))
    print(f"  (a) ran {results['a']['fits_measured']} of {PROTOCOL_FITS} folds; its total is "
          f"per-fit x {PROTOCOL_FITS} (extrapolated). (b) and (d) stop early when the loss "
          "stalls (tol=1e-4, n_iter_no_change epochs), as MLPClassifier does; (a) always runs 100 epochs.")
    for key in ("a", "b"):
        results[f"d_faster_than_{key}"] = results[key]["total_30_s"] / d["total_30_s"]
    print(f"  (d) vs (a): {results['d_faster_than_a']:.1f}x faster; (d) vs (b): "
          f"{results['d_faster_than_b']:.1f}x faster (30-fold totals)")
    print(flush=True)


def latency_part(X, Y):
    """[2]: predict_proba latency."""
    print("[2] predict_proba latency (median of repeats; models fitted on the 1000-row data)",
          flush=True)
    lat = latency(X, Y)
    rows = [[label, fmt_s(v["skmultimlp_predict_proba_s"]), fmt_s(v["mlpclassifier_predict_proba_s"]),
             f"{v['ratio_to_mlpclassifier']:.2f}", fmt_s(v["keras_model_predict_s"])]
            for label, v in lat.items()]
    print(table(["input", "(d) predict_proba", "MLPClassifier predict_proba",
                 "(d) / MLPClassifier", "(d).model_.predict"], rows))
    print(flush=True)
    return lat


def large_part(n_large):
    """[3]: throughput and peak memory of the large workload."""
    print(f"[3] Large workload: {n_large:,} x 100 float32, 50 labels, hidden (256,), batch 256",
          flush=True)
    big = large_workload(n_large)
    f1, f5 = big["fits"]["1"], big["fits"][str(big["epochs"])]
    mib = 2**20
    print(f"  X: {big['X_nbytes'] / mib:.1f} MiB; positives {big['positive_rate']:.3f}")
    rows = [
        ["first fit, 1 epoch (compiles)", fmt_s(big["first_fit_1_epoch_s"]),
         f"{big['first_fit_peak_extra_bytes'] / mib:.0f} MiB",
         f"{big['first_fit_peak_extra_bytes'] / big['X_nbytes']:.2f}"],
        ["1 epoch", fmt_s(f1["fit_s"]), f"{f1['peak_extra_bytes'] / mib:.0f} MiB",
         f"{big['peak_extra_1_epoch_over_X']:.2f}"],
        [f"{big['epochs']} epochs", fmt_s(f5["fit_s"]), f"{f5['peak_extra_bytes'] / mib:.0f} MiB",
         f"{big['peak_extra_over_X']:.2f}"],
    ]
    print(table(["fit", "time", "peak extra RSS", "peak extra / size of X"], rows))
    steady = big["samples_per_s_steady"]
    print(f"  training throughput: {big['samples_per_s_fit']:,.0f} samples/s over the whole "
          f"{big['epochs']}-epoch fit; "
          + (f"{steady:,.0f} samples/s per extra epoch" if steady else "per-epoch rate: n/a")
          + f" (fixed cost per fit {fmt_s(big['fixed_cost_s'])})")
    worst = max(big["peak_extra_over_X"], big["peak_extra_1_epoch_over_X"],
                big["first_fit_peak_extra_bytes"] / big["X_nbytes"])
    big["peak_extra_over_X_worst"] = worst
    print(f"  peak extra memory = {big['peak_extra_over_X']:.2f} x size of X ({big['epochs']}-epoch fit; "
          f"{worst:.2f} x at worst, over all three fits); growth from 1 to "
          f"{big['epochs']} epochs = {big['growth_1_to_n_epochs_over_X']:+.2f} x size of X "
          f"({'flat: no copy of X per epoch' if big['growth_1_to_n_epochs_over_X'] < 0.5 else 'GROWS'})")
    print(f"  (peak RSS sampled every 2 ms, and VmHWM reset per fit: "
          f"{'yes' if f1['hwm_used'] else 'not permitted'})")
    return big


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 6 protocol fits for (b)/(d), 1 for (a), 20,000-row large workload")
    parser.add_argument("--folds", type=int, default=None,
                        help="folds run for the Keras loop (a) and scikeras (c); default 3 (1 with --quick)")
    parser.add_argument("--json", metavar="PATH", help="write all figures to this JSON file")
    args = parser.parse_args(argv)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras  # after parsing, so --help is instant

    backend = keras.backend.backend()
    n_slow = args.folds if args.folds is not None else (1 if args.quick else 3)
    n_slow = max(1, min(n_slow, PROTOCOL_FITS))
    n_fast = 6 if args.quick else PROTOCOL_FITS
    info = print_header(args, backend)
    X, Y = tutorial_data()
    results = tutorial_part(X, Y, folds(X), backend, n_fast, n_slow)
    results["latency"] = latency_part(X, Y)
    results["large"] = large_part(20_000 if args.quick else 200_000)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"info": info, "results": results}, f, indent=1, default=float)
        print(f"\nFigures written to {args.json}")


if __name__ == "__main__":
    main()
