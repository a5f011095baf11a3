"""Fixed-seed behaviour fingerprint of skmultimlp's public API.

Runs a fixed list of small, fully seeded fits of ``MultiLabelMLPClassifier`` and
records, for each, hashes of ``predict_proba`` / ``predict`` and the exact fitted
curves and attributes, into one JSON file. Run it on two source trees (same venv,
same backend) and compare the files with ``fingerprint_compare.py``: the check of a
change that should not change behaviour.

Only the public API is used (``skmultimlp.MultiLabelMLPClassifier`` and
``skmultimlp.datasets``), so the same script runs before and after a restructuring.

Usage (the tree to test is the one importable as ``skmultimlp``)::

    git worktree add ../before <commit>
    (cd ../before && PYTHONPATH=. python benchmarks/fingerprint.py --out /tmp/before_tf.json)
    python benchmarks/fingerprint.py --out /tmp/after_tf.json
    python benchmarks/fingerprint_compare.py /tmp/before_tf.json /tmp/after_tf.json

and the same with ``KERAS_BACKEND=jax``.

The persistent compilation cache is turned off (``SKMULTIMLP_CACHE_DIR=off``) unless
``--cache-dir`` or the ``SKMULTIMLP_CACHE_DIR`` variable says otherwise, so that the
user's cache is never touched.
"""

import argparse
import hashlib
import json
import os
import platform
import sys
import time
import traceback
import warnings

from _common import add_data_option



# ----------------------------------------------------------------------------- helpers

def _r(x):
    """Exact repr of a scalar float (None and non-floats kept as they are)."""
    if x is None:
        return None
    if isinstance(x, (bool, str)):
        return x
    try:
        return repr(float(x))
    except (TypeError, ValueError):
        return repr(x)


def _floats(values):
    if values is None:
        return None
    return [_r(v) for v in values]


def _sha(array):
    import numpy as np

    a = np.ascontiguousarray(array)
    h = hashlib.sha256()
    h.update(f"{a.dtype.str}|{a.shape}|".encode())
    if a.dtype.kind in "OU":  # strings / objects: hash their text
        h.update("\x00".join(map(str, a.ravel().tolist())).encode())
    else:
        h.update(a.tobytes())
    return h.hexdigest()


def _proba_sha(array):
    """sha256 of ``array.astype(float32).tobytes()``, as the brief asks."""
    import numpy as np

    return hashlib.sha256(np.ascontiguousarray(np.asarray(array).astype(np.float32)).tobytes()).hexdigest()


def _dataset_sha(X, Y):
    import scipy.sparse as sp

    if sp.issparse(X):
        X = X.tocsr()
        parts = [_sha(X.data), _sha(X.indices), _sha(X.indptr), repr(X.shape)]
    else:
        parts = [_sha(X)]
    parts.append(_sha(Y))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _type_name(x):
    return type(x).__name__


def describe(clf, X_test):
    """Everything recorded about one fitted estimator."""
    import numpy as np

    rec = {}
    proba = clf.predict_proba(X_test)
    pred = clf.predict(X_test)
    rec["predict_proba_sha256_f32"] = _proba_sha(proba)
    rec["predict_proba_sha256_exact"] = _sha(np.asarray(proba))
    rec["predict_proba_dtype_shape"] = [np.asarray(proba).dtype.str, list(np.shape(proba))]
    rec["predict_proba_sum"] = _r(np.asarray(proba, dtype=np.float64).sum())
    rec["predict_proba_first_row"] = _floats(np.asarray(proba)[0].ravel())
    rec["predict_sha256"] = _sha(np.asarray(pred))
    rec["predict_dtype_shape"] = [np.asarray(pred).dtype.str, list(np.shape(pred))]
    rec["predict_positives"] = int(np.count_nonzero(np.asarray(pred) == np.asarray(pred).max())) \
        if np.asarray(pred).dtype.kind in "biuf" else None

    for name in ("loss_curve_", "validation_loss_curve_", "validation_scores_"):
        if hasattr(clf, name):
            value = getattr(clf, name)
            rec[name] = _floats(value) if value is not None else None
            rec[name + "type"] = [_type_name(value)] + ([_type_name(value[0])] if value else [])
    hist = getattr(clf, "history_", None)
    if isinstance(hist, dict):
        rec["history_"] = {k: _floats(v) for k, v in sorted(hist.items())}
    for name in ("n_iter_", "n_features_in_", "n_outputs_", "out_activation_"):
        if hasattr(clf, name):
            value = getattr(clf, name)
            rec[name] = value if isinstance(value, str) else int(value)
    for name in ("loss_", "best_loss_", "best_validation_loss_", "best_validation_score_"):
        if hasattr(clf, name):
            rec[name] = _r(getattr(clf, name))
    if hasattr(clf, "classes_"):
        rec["classes_"] = [str(c) for c in np.asarray(clf.classes_).tolist()]
    try:
        rec["thresholds_"] = _floats(np.asarray(clf.thresholds_).ravel())
    except AttributeError as exc:
        rec["thresholds_"] = f"AttributeError: {exc}"
    for name in ("coefs_", "intercepts_"):
        if hasattr(clf, name):
            rec[name + "sha256"] = [_sha(np.asarray(w)) for w in getattr(clf, name)]
    if hasattr(clf, "model_"):
        rec["model_weights_sha256"] = [_sha(np.asarray(w)) for w in clf.model_.get_weights()]
    return rec


def run_one(make):
    """Run ``make()`` (which returns (estimator, X_test, extra)) and describe the result."""
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            clf, X_test, extra = make()
            rec = describe(clf, X_test) if clf is not None else {}
            rec.update(extra)
        except Exception as exc:  # recorded, so both trees' failures compare too
            rec = {"error": f"{type(exc).__name__}: {exc}",
                   "traceback_last": traceback.format_exc().strip().splitlines()[-1]}
    # category and message only (the file a warning points at may move with the modules)
    rec["warnings"] = sorted({f"{w.category.__name__}: {w.message}" for w in caught
                              if not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning))})
    return rec, time.perf_counter() - start


# ----------------------------------------------------------------------------- data

def synthetic():
    """Fixed-seed dense multi-label data, split and scaled: 480 rows x 20, 5 labels."""
    import numpy as np
    from sklearn.datasets import make_multilabel_classification
    from sklearn.preprocessing import StandardScaler

    X, Y = make_multilabel_classification(n_samples=480, n_features=20, n_classes=5, n_labels=2,
                                          random_state=0)
    X = StandardScaler().fit_transform(X).astype(np.float64)
    return X[:360], Y[:360], X[360:], Y[360:]


def synthetic_sparse():
    """Fixed-seed sparse (CSR, word counts) multi-label data: 480 rows x 300, 5 labels."""
    from sklearn.datasets import make_multilabel_classification

    X, Y = make_multilabel_classification(n_samples=480, n_features=300, n_classes=5, n_labels=2,
                                          length=20, sparse=True, random_state=1)
    X = X.tocsr().astype("float64")
    return X[:360], Y[:360], X[360:], Y[360:]


def one_d(n_classes):
    import numpy as np
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=420, n_features=12, n_informative=6, n_classes=n_classes,
                               random_state=3)
    if n_classes > 2:
        y = np.array(["ant", "bee", "cat", "dog"])[y]  # string classes exercise classes_
    return X[:320], y[:320], X[320:], y[320:]


# ----------------------------------------------------------------------------- custom model

def small_network(n_features, n_outputs, output_activation, seed):
    """A seeded custom builder (as in the user guide's custom-model section)."""
    import keras

    return keras.Sequential([
        keras.Input((n_features,)),
        keras.layers.Dense(16, activation="relu", kernel_initializer=keras.initializers.HeUniform(seed=seed)),
        keras.layers.Dropout(0.1, seed=seed + 2),
        keras.layers.Dense(n_outputs, activation=output_activation,
                           kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 1)),
    ])


# ----------------------------------------------------------------------------- the fits

def build_fits(data_dir):
    """Ordered (name, callable) pairs; each callable returns (fitted clf, X_test, extra)."""
    import numpy as np
    from skmultimlp import MultiLabelMLPClassifier

    Xtr, Ytr, Xte, Yte = synthetic()
    Str, SYtr, Ste, _ = synthetic_sparse()
    base = dict(hidden_layer_sizes=(16,), max_iter=10, random_state=0)

    def fit(**params):
        def make():
            return MultiLabelMLPClassifier(**{**base, **params}).fit(Xtr, Ytr), Xte, {}
        return make

    def sparse_fit(**params):
        def make():
            return MultiLabelMLPClassifier(**{**base, **params}).fit(Str, SYtr), Ste, {}
        return make

    def default_settings():
        clf = MultiLabelMLPClassifier(max_iter=10, random_state=0).fit(Xtr, Ytr)
        return clf, Xte, {"score_test": _r(clf.score(Xte, Yte))}

    def sample_weight():
        w = np.random.RandomState(5).uniform(0.2, 3.0, size=len(Xtr))
        return MultiLabelMLPClassifier(**base).fit(Xtr, Ytr, sample_weight=w), Xte, {}

    def multiclass():
        X, y, Xt, _ = one_d(4)
        return MultiLabelMLPClassifier(**base).fit(X, y), Xt, {}

    def binary():
        X, y, Xt, _ = one_d(2)
        return MultiLabelMLPClassifier(**base).fit(X, y), Xt, {}

    def warm_start():
        clf = MultiLabelMLPClassifier(**base, warm_start=True).fit(Xtr, Ytr)
        first = describe(clf, Xte)
        clf.fit(Xtr, Ytr)
        return clf, Xte, {"after_first_fit": first}

    def threshold_auto(kind):
        def make():
            clf = MultiLabelMLPClassifier(**base, threshold=kind).fit(Xtr, Ytr)
            extra = {}
            # re-tuning without refit: scoring changed after fit (documented behaviour)
            clf.set_params(scoring="f1_macro")
            extra["thresholds_after_set_scoring_f1_macro"] = _floats(np.asarray(clf.thresholds_).ravel())
            extra["predict_sha256_after_set_scoring"] = _sha(np.asarray(clf.predict(Xte)))
            clf.set_params(scoring="loss")
            return clf, Xte, extra
        return make

    def partial_fit():
        clf = MultiLabelMLPClassifier(**base)
        chunks = np.array_split(np.arange(len(Xtr)), 3)
        curves = []
        for idx in chunks:
            clf.partial_fit(Xtr[idx], Ytr[idx])
            curves.append(_floats(clf.loss_curve_))
        return clf, Xte, {"loss_curve_after_each_call": curves}

    def emotions():
        from sklearn.preprocessing import StandardScaler
        from skmultimlp.datasets import load_arff

        train = load_arff(os.path.join(data_dir, "emotions", "emotions-train.arff"))
        test = load_arff(os.path.join(data_dir, "emotions", "emotions-test.arff"))
        scaler = StandardScaler().fit(train.X)
        clf = MultiLabelMLPClassifier(hidden_layer_sizes=(32,), max_iter=10, dropout=0.2,
                                      threshold="auto_per_label", scoring="f1_micro",
                                      random_state=1).fit(scaler.transform(train.X), train.Y)
        extra = {"dataset_sha256": [_dataset_sha(train.X, train.Y), _dataset_sha(test.X, test.Y)],
                 "label_names": list(train.label_names)}
        return clf, scaler.transform(test.X), extra

    def medical():
        from skmultimlp.datasets import load_dataset

        train = load_dataset(os.path.join(data_dir, "medical", "medical-train.arff"))
        test = load_dataset(os.path.join(data_dir, "medical", "medical-test.arff"))
        clf = MultiLabelMLPClassifier(hidden_layer_sizes=(32,), max_iter=8, class_weight="balanced",
                                      random_state=2).fit(train.X, train.Y)
        extra = {"dataset_sha256": [_dataset_sha(train.X, train.Y), _dataset_sha(test.X, test.Y)],
                 "X_is_sparse": [type(train.X).__name__, type(test.X).__name__]}
        return clf, test.X, extra

    def tutorial():
        from skmultimlp.datasets import make_tutorial_dataset

        X, Y = make_tutorial_dataset()  # no fit: a new shape would compile (~10-30 s on 2 busy cores)
        return None, None, {"dataset_sha256": _dataset_sha(X, Y),
                            "dtypes": [X.dtype.str, Y.dtype.str], "shapes": [list(X.shape), list(Y.shape)]}

    return [
        ("01_default", default_settings),
        ("02_no_early_stopping", fit(early_stopping=False)),
        ("03_sgd", fit(solver="sgd", learning_rate_init=0.05)),
        ("04_rmsprop_tanh", fit(solver="rmsprop", activation="tanh")),
        ("05_class_weight_balanced", fit(class_weight="balanced")),
        ("06_dropout", fit(dropout=0.3)),
        ("07_sparse_X", sparse_fit()),
        ("08_sample_weight", sample_weight),
        ("09_multiclass_1d", multiclass),
        ("10_binary_1d", binary),
        ("11_custom_model", fit(model=small_network)),
        ("12_warm_start_twice", warm_start),
        ("13_lbfgs", fit(solver="lbfgs", max_iter=30)),
        ("14_n_networks_3", fit(n_networks=3)),
        ("15_threshold_auto", threshold_auto("auto")),
        ("16_partial_fit_x3", partial_fit),
        ("17_sparse_lazy", sparse_fit(sparse_update="lazy")),
        # extras (cheap): other public paths
        ("18_sparse_dense_update_sgd", sparse_fit(sparse_update="dense", solver="sgd", learning_rate="invscaling",
                                                  learning_rate_init=0.1)),
        ("19_sparse_lazy_sgd_n_networks_2", sparse_fit(sparse_update="lazy", solver="sgd", n_networks=2,
                                                        learning_rate_init=0.05)),
        ("20_focal_scoring_f1", fit(loss="focal", scoring="f1_samples")),
        ("21_asymmetric_batch_auto_adaptive", fit(loss="asymmetric", solver="sgd", batch_size="auto",
                                                  learning_rate="adaptive", n_iter_no_change=2,
                                                  early_stopping=False, max_iter=15)),
        ("22_threshold_auto_per_label", threshold_auto("auto_per_label")),
        ("23_emotions_arff", emotions),
        ("24_medical_arff_sparse", medical),
        ("25_tutorial_dataset_no_fit", tutorial),
    ]


# ----------------------------------------------------------------------------- main

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Compare two outputs with fingerprint_compare.py A.json B.json.")
    parser.add_argument("--out", required=True, help="JSON file to write")
    add_data_option(parser)
    parser.add_argument("--cache-dir", default=None,
                        help="SKMULTIMLP_CACHE_DIR for this run (default: the variable if set, else 'off')")
    parser.add_argument("--only", default=None, help="comma-separated fit name prefixes to run (debugging)")
    args = parser.parse_args(argv)

    if args.cache_dir is not None:
        os.environ["SKMULTIMLP_CACHE_DIR"] = args.cache_dir
    else:
        os.environ.setdefault("SKMULTIMLP_CACHE_DIR", "off")

    t0 = time.perf_counter()
    import numpy as np
    import scipy
    import sklearn
    import skmultimlp

    header = {
        "skmultimlp_file": skmultimlp.__file__,
        "skmultimlp_version": getattr(skmultimlp, "__version__", None),
        "keras_backend_env": os.environ.get("KERAS_BACKEND", "(unset: tensorflow)"),
        "cache_dir": os.environ["SKMULTIMLP_CACHE_DIR"],
        "python": sys.version.split()[0],
        "numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__,
        "platform": platform.platform(),
    }
    print(f"skmultimlp from {skmultimlp.__file__}", flush=True)
    print(f"KERAS_BACKEND={header['keras_backend_env']}  SKMULTIMLP_CACHE_DIR={header['cache_dir']}", flush=True)

    fits, timing = {}, {}
    for name, make in build_fits(args.data):
        if args.only and not any(name.startswith(p) for p in args.only.split(",")):
            continue
        rec, seconds = run_one(make)
        fits[name] = rec
        timing[name] = round(seconds, 2)
        status = rec["error"] if "error" in rec else f"n_iter_={rec.get('n_iter_', '-')}"
        print(f"  {name:40s} {seconds:6.2f} s  {status}", flush=True)

    import keras

    header["keras"] = keras.__version__
    header["keras_backend"] = keras.backend.backend()
    total = round(time.perf_counter() - t0, 2)
    out = {"header": header, "fits": fits, "timing_s": {"total": total, **timing}}
    with open(args.out, "w") as fh:
        json.dump(out, fh, indent=1, sort_keys=True)
        fh.write("\n")
    print(f"backend {header['keras_backend']}; {len(fits)} fits in {total} s -> {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
