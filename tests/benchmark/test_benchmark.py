"""Tests of skmultimlp.benchmark: compare() and default_estimators()."""

import subprocess
import warnings
import sys

import numpy as np
import pytest
from joblib import parallel_config
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import make_multilabel_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, hamming_loss, roc_auc_score
from sklearn.model_selection import KFold
from sklearn.multioutput import ClassifierChain, MultiOutputClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MaxAbsScaler, StandardScaler

from skmultimlp import MultiLabelMLPClassifier
from skmultimlp.benchmark import METRICS, compare, default_estimators, summarize

pd = pytest.importorskip("pandas")
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

TIMES = ("fit_time", "compile_time", "predict_time")
FOLD_TIMES = ("fit_time", "predict_time", "compiles")


@pytest.fixture(scope="module")
def data():
    X, Y = make_multilabel_classification(
        90, 6, n_classes=3, n_labels=2, allow_unlabeled=False, random_state=0
    )
    return X, Y


def fast_estimators():
    """One estimator per predict_proba format: list of (n, 2) arrays, or (n, L)."""
    return {
        "knn": make_pipeline(StandardScaler(), KNeighborsClassifier()),
        "rf": RandomForestClassifier(n_estimators=5, random_state=0),
        "mo_lr": MultiOutputClassifier(LogisticRegression()),
        "cc_lr": ClassifierChain(LogisticRegression()),
        "sk_mlp": MLPClassifier((5,), max_iter=50, random_state=0),
    }


def expected_columns(metrics=METRICS):
    return [f"{stat}_{col}" for col in (*metrics, *TIMES) for stat in ("mean", "std")]


CV = KFold(3, shuffle=True, random_state=0)


@pytest.fixture(scope="module")
def fast_results(data):
    return compare(fast_estimators(), *data, cv=CV, progress=False, return_folds=True)


def test_summary_has_one_row_per_estimator_and_mean_std_columns(fast_results):
    summary, _ = fast_results
    assert list(summary.index) == list(fast_estimators())
    assert summary.index.name == "estimator"
    assert list(summary.columns) == expected_columns()
    quality = summary[[f"mean_{metric}" for metric in METRICS]]
    assert ((quality >= 0) & (quality <= 1)).all().all()
    assert (summary[["mean_fit_time", "mean_predict_time"]] > 0).all().all()


def test_fold_scores_equal_sklearn_metrics_computed_by_hand(data, fast_results):
    X, Y = data
    _, folds = fast_results
    train, test = next(CV.split(X))
    for name, estimator in fast_estimators().items():
        fitted = clone(estimator).fit(X[train], Y[train])
        pred = fitted.predict(X[test])
        proba = fitted.predict_proba(X[test])
        if isinstance(proba, list):
            proba = np.column_stack([p[:, 1] for p in proba])
        expected = {
            "subset_accuracy": accuracy_score(Y[test], pred),
            "hamming_loss": hamming_loss(Y[test], pred),
            "f1_micro": f1_score(Y[test], pred, average="micro"),
            "f1_macro": f1_score(Y[test], pred, average="macro"),
            "f1_samples": f1_score(Y[test], pred, average="samples"),
            "roc_auc_macro": roc_auc_score(Y[test], proba, average="macro"),
        }
        row = folds[(folds["estimator"] == name) & (folds["fold"] == 0)].iloc[0]
        for metric, value in expected.items():
            assert row[metric] == pytest.approx(value), (name, metric)


def test_summary_is_mean_and_population_std_of_folds(data):
    summary, folds = compare(
        {"knn": KNeighborsClassifier()}, *data, cv=4, progress=False, return_folds=True
    )
    assert list(folds.columns) == ["estimator", "fold", *METRICS, *FOLD_TIMES]
    assert list(folds["fold"]) == [0, 1, 2, 3]
    assert list(folds["compiles"]) == [0, 0, 0, 0]  # knn compiles nothing
    for col in (*METRICS, "fit_time", "predict_time"):
        assert summary.loc["knn", f"mean_{col}"] == pytest.approx(folds[col].mean())
        assert summary.loc["knn", f"std_{col}"] == pytest.approx(folds[col].std(ddof=0))
    assert summary.loc["knn", ["mean_compile_time", "std_compile_time"]].tolist() == [0, 0]


def test_summary_keeps_compiling_folds_out_of_the_fit_time():
    # folds 0 and 3 compiled (first fit, then a new padded shape)
    folds = pd.DataFrame({
        "estimator": "mlp", "fold": range(4), "f1_micro": [0.5, 0.6, 0.7, 0.8],
        "fit_time": [5.0, 1.0, 1.2, 4.0], "predict_time": 0.1, "compiles": [1, 0, 0, 2],
    })
    row = summarize(folds, ["mlp"], ["f1_micro"]).loc["mlp"]
    assert (row["mean_fit_time"], row["std_fit_time"]) == pytest.approx((1.1, 0.1))
    assert (row["mean_compile_time"], row["std_compile_time"]) == pytest.approx((3.4, 0.5))
    assert row["mean_f1_micro"] == pytest.approx(0.65)
    every_fold = folds.assign(compiles=1)  # nothing to compare with: fit time of all folds
    row = summarize(every_fold, ["mlp"], ["f1_micro"]).loc["mlp"]
    assert row["mean_fit_time"] == pytest.approx(2.8) and np.isnan(row["mean_compile_time"])


def test_macro_auc_skips_labels_constant_in_the_test_fold(data):
    X, Y = data[0], data[1].copy()
    Y[:, 2] = 0
    # Unshuffled 3-fold: label 2 is constant in every test fold and absent
    # (constant 0) from the first training fold.
    Y[:30, 2] = 1
    _, folds = compare(
        {"rf": RandomForestClassifier(n_estimators=5, random_state=0)},
        X,
        Y,
        cv=KFold(3),
        scoring="roc_auc_macro",
        progress=False,
        return_folds=True,
    )
    for fold, (train, test) in enumerate(KFold(3).split(X)):
        fitted = RandomForestClassifier(n_estimators=5, random_state=0)
        proba = fitted.fit(X[train], Y[train]).predict_proba(X[test])
        expected = np.mean([roc_auc_score(Y[test, j], proba[j][:, 1]) for j in (0, 1)])
        assert folds["roc_auc_macro"][fold] == pytest.approx(expected)


def test_macro_auc_is_nan_when_every_label_is_constant(data):
    X, Y = data
    Y = np.zeros_like(Y)
    Y[:45] = 1
    summary = compare(
        [("knn", KNeighborsClassifier())], X, Y, cv=KFold(2), progress=False
    )
    assert np.isnan(summary.loc["knn", "mean_roc_auc_macro"])


def test_failing_folds_raise_or_get_error_score(data):
    X, Y = data[0], data[1].copy()
    Y[:, 0] = 0  # LogisticRegression refuses a constant label
    estimators = {
        "lr": MultiOutputClassifier(LogisticRegression()),
        "knn": KNeighborsClassifier(),
    }
    with pytest.raises(ValueError, match="class"):
        compare(estimators, X, Y, cv=2, progress=False)
    with pytest.warns(FitFailedWarning, match="lr failed on 2 of 2 folds; first error"):
        summary = compare(estimators, X, Y, cv=2, progress=False, error_score=np.nan)
    assert summary.loc["lr"].isna().all()
    assert summary.loc["knn"].notna().all()


def test_scoring_selects_metrics_in_canonical_order(data):
    summary = compare(
        [("knn", KNeighborsClassifier())],
        *data,
        cv=2,
        scoring=["f1_macro", "hamming_loss"],
        progress=False,
    )
    assert list(summary.columns) == expected_columns(["hamming_loss", "f1_macro"])


@pytest.mark.parametrize(
    "estimators, scoring, match",
    [
        ({"knn": KNeighborsClassifier()}, ["accuracy"], "unknown metric"),
        ([("a", KNeighborsClassifier())] * 2, None, "unique"),
        ({}, None, "empty"),
    ],
)
def test_bad_arguments_raise(data, estimators, scoring, match):
    with pytest.raises(ValueError, match=match):
        compare(estimators, *data, cv=2, scoring=scoring, progress=False)


def test_default_cv_is_10_folds_repeated_3_times(data):
    _, folds = compare(
        {"knn": KNeighborsClassifier()}, *data, progress=False, return_folds=True
    )
    assert len(folds) == 30


def test_parallel_run_gives_the_same_scores(data):
    estimators = {
        "knn": KNeighborsClassifier(),
        "cc_lr": ClassifierChain(LogisticRegression()),
    }
    serial = compare(estimators, *data, cv=3, progress=False)
    with parallel_config(backend="threading"):  # spawning processes takes seconds
        parallel = compare(estimators, *data, cv=3, n_jobs=2, progress=False)
    quality = [f"{stat}_{m}" for m in METRICS for stat in ("mean", "std")]
    pd.testing.assert_frame_equal(serial[quality], parallel[quality])


def test_progress_bar_goes_to_stderr(data, capsys):
    compare({"knn": KNeighborsClassifier()}, *data, cv=2, progress=True)
    out, err = capsys.readouterr()
    assert out == ""
    assert "folds" in err


def test_default_estimators_are_the_six_with_the_seed():
    estimators = default_estimators(random_state=7)
    assert list(estimators) == ["mlp", "rf", "mo_lr", "cc_lr", "knn", "sk_mlp"]
    assert isinstance(estimators["mlp"][-1], MultiLabelMLPClassifier)
    for name in ("mlp", "rf", "sk_mlp"):
        params = estimators[name].get_params()
        seeds = [v for k, v in params.items() if k.endswith("random_state")]
        assert seeds == [7], name
    assert isinstance(estimators["mlp"][0], StandardScaler)


def test_default_estimators_run_on_sparse_features(data):
    X, Y = data
    estimators = default_estimators(sparse=True)
    assert all(isinstance(estimators[name][0], MaxAbsScaler)
               for name in ("mlp", "mo_lr", "cc_lr", "knn", "sk_mlp"))
    fast = {name: estimators[name] for name in ("rf", "mo_lr", "cc_lr", "knn")}
    fast["rf"].set_params(n_estimators=5)
    summary = compare(fast, sparse.csr_matrix(X), Y, cv=2, progress=False)
    assert summary.notna().all().all()


@pytest.fixture(scope="module")
def keras_imported():
    """Import Keras before the global-state guard looks: importing TensorFlow
    sets environment variables."""
    return pytest.importorskip("keras")


def test_compare_runs_the_keras_mlp(data, keras_imported):
    mlp = make_pipeline(
        StandardScaler(),
        MultiLabelMLPClassifier(hidden_layer_sizes=(4,), max_iter=2, random_state=0),
    )
    summary = compare({"mlp": mlp}, *data, cv=2, progress=False)
    assert summary.notna().all().all()


def test_importing_benchmark_imports_no_keras_matplotlib_or_tqdm():
    # Not pandas: scikit-learn itself imports it when it is installed.
    code = (
        "import sys, skmultimlp.benchmark; "
        "heavy = {'keras', 'tensorflow', 'matplotlib', 'tqdm'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_default_mlp_on_medical_matches_the_logistic_baseline(data_dir):
    """45 labels, sparse words. On these folds (TensorFlow) the defaults give 0.780;
    with the words standardized instead of MaxAbs-scaled 0.727, and with the penalty
    not divided by the number of labels (alpha=0.1 * 45) 0.253."""
    from skmultimlp.datasets import load_arff

    X, Y = load_arff(data_dir / "medical" / "medical.arff")[:2]
    estimators = default_estimators(sparse=True)
    cv = KFold(3, shuffle=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # constant labels in some training folds
        summary = compare({name: estimators[name] for name in ("mlp", "mo_lr")}, X, Y,
                          cv=cv, scoring=["f1_micro"], progress=False)
    f1 = summary["mean_f1_micro"]
    assert f1["mlp"] > 0.75  # 0.780 on TensorFlow (mo_lr: 0.760)
    assert f1["mlp"] > f1["mo_lr"] - 0.01
