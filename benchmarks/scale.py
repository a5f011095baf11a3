"""Sparse data at scale: peak memory and times of fit and predict, against MLPClassifier.

Each measurement runs in a fresh child process, so its peak RSS (``ru_maxrss`` of the
whole process: Python, the backend, the data and the fit) is its own. The data are a
synthetic CSR matrix (float32, ``--density`` non-zeros, the same number in every row)
and labels from a random projection of it (about 3 positives per row), generated in
the child. Figures are printed as a Markdown table (``docs/performance.md``).

    python benchmarks/scale.py                     # 10k, 100k and 1M rows x 50k columns
    python benchmarks/scale.py --rows 10000 --skip-sklearn
    python benchmarks/scale.py --columns-sweep     # epoch time at a fixed number of non-zeros,
                                                   # dense and lazy first-layer updates
    python benchmarks/scale.py --rows 100000 --cold-cache --baseline-src /tmp/old/skmultimlp-src

``--baseline-src DIR`` also fits with the package found in ``DIR`` (another checkout),
in the same run; ``--cold-cache`` turns the persistent compilation cache off, so every
fit compiles (the first fit on a new machine). "fit extra" is the peak RSS of the fit
minus the RSS before it: what the fit itself costs, TensorFlow's or JAX's runtime
included (about 0.7 GiB on TensorFlow, 0.3 GiB on JAX). The CPU seconds of the fit
(all its threads) are less sensitive than its wall time to other jobs on the machine.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import warnings

from _common import sparse_data


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_gib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB -> GiB


def child(spec):
    """One measurement (run in its own process); prints a JSON line."""
    X, Y = sparse_data(spec["rows"], spec["columns"], spec["density"], spec["labels"])
    X_test = X[: min(20_000, X.shape[0])]
    data_gib = (X.data.nbytes + X.indices.nbytes + X.indptr.nbytes) / 2**30
    if spec["estimator"] == "mlp":
        from skmultimlp import MultiLabelMLPClassifier

        options = {"sparse_update": spec["sparse_update"]} if "sparse_update" in spec else {}
        estimator = MultiLabelMLPClassifier(max_iter=spec["max_iter"], random_state=0, **options)
    else:
        from sklearn.neural_network import MLPClassifier

        estimator = MLPClassifier((50,), max_iter=spec["max_iter"], random_state=0)
    before_fit = peak_rss_gib()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start, cpu_start = time.perf_counter(), cpu_seconds()
        estimator.fit(X, Y)
        fit_seconds, fit_cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
        fit_peak = peak_rss_gib()
        start = time.perf_counter()
        if spec.get("refit"):  # a second fit in the same process: no compilation
            estimator.fit(X, Y)
            fit_seconds = time.perf_counter() - start
            start = time.perf_counter()
        estimator.predict_proba(X_test)
        predict_seconds = time.perf_counter() - start
    print(json.dumps(dict(spec, fit_s=fit_seconds, fit_cpu_s=fit_cpu, predict_s=predict_seconds,
                          predict_rows=X_test.shape[0], csr_gib=data_gib,
                          rss_before_fit_gib=before_fit, fit_peak_gib=fit_peak,
                          peak_gib=peak_rss_gib(), n_iter=int(estimator.n_iter_),
                          module=type(estimator).__module__.split(".")[0] + " from "
                          + sys.modules[type(estimator).__module__].__file__)))


def run(spec, cold_cache=False):
    env = dict(os.environ)
    if spec.get("src"):
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [spec["src"], env.get("PYTHONPATH")]))
    if cold_cache:
        env["SKMULTIMLP_CACHE_DIR"] = "off"
    out = subprocess.run([sys.executable, __file__, "--child", json.dumps(spec)],
                         capture_output=True, text=True, env=env)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode or not lines:
        return dict(spec, error=(out.stderr.strip().splitlines() or ["killed"])[-1])
    return json.loads(lines[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--columns", type=int, default=50_000)
    parser.add_argument("--density", type=float, default=0.001)
    parser.add_argument("--labels", type=int, default=200)
    parser.add_argument("--max-iter", type=int, default=5)
    parser.add_argument("--skip-sklearn", action="store_true")
    parser.add_argument("--sklearn-max-rows", type=int, default=100_000)
    parser.add_argument("--columns-sweep", action="store_true",
                        help="epoch time at 50 non-zeros per row, 5k vs 50k columns (20k rows), "
                             "sparse_update dense and lazy")
    parser.add_argument("--sweep-columns", type=int, nargs="+", default=[5_000, 50_000],
                        help="the column counts of --columns-sweep")
    parser.add_argument("--baseline-src", help="also fit with the skmultimlp package of this folder")
    parser.add_argument("--cold-cache", action="store_true",
                        help="no persistent compilation cache: every fit compiles")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(json.loads(args.child))
    base = dict(columns=args.columns, density=args.density, labels=args.labels,
                max_iter=args.max_iter)
    if args.columns_sweep:
        # both first-layer updates, interleaved so that both see the same load
        specs = [dict(base, rows=20_000, columns=c, density=50 / c, estimator="mlp", refit=True,
                      sparse_update=mode)
                 for c in args.sweep_columns for mode in ("dense", "lazy")]
    else:
        specs = []
        for rows in args.rows:
            specs.append(dict(base, rows=rows, estimator="mlp"))
            if args.baseline_src:
                specs.append(dict(base, rows=rows, estimator="mlp", src=args.baseline_src))
            if not args.skip_sklearn and rows <= args.sklearn_max_rows:
                specs.append(dict(base, rows=rows, estimator="MLPClassifier"))
    print(f"backend: {os.environ.get('KERAS_BACKEND', 'tensorflow')}, compilation cache: "
          f"{'off' if args.cold_cache else 'as configured'}")
    print("| rows x columns | estimator | CSR GiB | fit s (CPU s) | epochs | predict s (rows) | "
          "RSS before fit GiB | fit extra GiB | peak RSS GiB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for spec in specs:
        r = run(spec, args.cold_cache)
        name = r["estimator"] + (f" ({r['src']})" if r.get("src") else "")
        if "error" in r:
            print(f"| {r['rows']} x {r['columns']} | {name} | failed: {r['error']} |")
            continue
        name += f" ({r['sparse_update']})" if "sparse_update" in r else ""
        print(f"| {r['rows']} x {r['columns']} | {name} | {r['csr_gib']:.3f} | "
              f"{r['fit_s']:.1f} ({r['fit_cpu_s']:.1f}) | {r['n_iter']} | "
              f"{r['predict_s']:.2f} ({r['predict_rows']}) | "
              f"{r['rss_before_fit_gib']:.2f} | {r['fit_peak_gib'] - r['rss_before_fit_gib']:.2f} | "
              f"{r['peak_gib']:.2f} |", flush=True)


if __name__ == "__main__":
    main()
