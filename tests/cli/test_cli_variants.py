"""``skmultimlp benchmark``: tuned variants, the train-test protocol, the memory
estimate that skips a fit too big for the machine, and results written as each
estimator finishes."""

import json
import os

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.datasets import make_multilabel_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

import skmultimlp._cli._main as cli
import skmultimlp._cli._memory as cli_memory
from skmultimlp import MultiLabelTunedThresholdClassifierCV
from skmultimlp.benchmark._baselines import estimated_fit_bytes
from skmultimlp._cli._options import benchmark_options
from skmultimlp._cli._run import cross_validate
from skmultimlp.benchmark import default_estimators

from cli_helpers import run

pytest.importorskip("pandas")
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
GIB = 2**30


def write_csv(path, X, Y):
    names = [*(f"f{j}" for j in range(X.shape[1])), *(f"l{j}" for j in range(Y.shape[1]))]
    header = ",".join(names)
    np.savetxt(path, np.column_stack([X, Y]), delimiter=",", header=header, comments="", fmt="%g")
    return path


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    """toy-train.csv (40 rows) and toy-test.csv (20 rows) beside each other."""
    X, Y = make_multilabel_classification(60, 5, n_classes=3, allow_unlabeled=False,
                                          random_state=1)
    folder = tmp_path_factory.mktemp("split")
    write_csv(folder / "toy-train.csv", X[:40], Y[:40])
    write_csv(folder / "toy-test.csv", X[40:], Y[40:])
    return folder, X, Y


# --protocol train-test and the tuned variants ----------------------------------------


def test_train_test_protocol_fits_on_train_and_scores_on_test(split, tmp_path, capsys):
    folder, X, Y = split
    path = tmp_path / "r.json"
    args = ["benchmark", "--data", str(folder / "toy.csv"), "--labels", "3",
            "--protocol", "train-test", "--estimators", "knn,mo_lr_tuned",
            "--tune-scoring", "f1_macro", "--output", str(path)]
    status, _, err = run(args, capsys)
    assert (status, err) == (0, f"skmultimlp: wrote {path}\n")
    document = json.loads(path.read_text())
    meta, results = document["metadata"], document["results"]
    assert meta["protocol"] == "train-test"
    assert meta["cv"] == "train-test (40 train, 20 test rows)"
    assert (meta["n_splits"], meta["n_repeats"], meta["n_samples"]) == (1, 1, 60)
    assert meta["data_paths"] == [str(folder / "toy-train.csv"), str(folder / "toy-test.csv")]
    assert "scoring='f1_macro'" in meta["estimator_definitions"]["mo_lr_tuned"]
    assert "scoring='f1_macro'" in meta["estimator_params"]["mo_lr_tuned"]
    # the same figures as fitting on the train file and predicting the test file
    knn = make_pipeline(StandardScaler(), KNeighborsClassifier()).fit(X[:40], Y[:40])
    assert results["knn"]["folds"]["f1_micro"] == [
        pytest.approx(f1_score(Y[40:], knn.predict(X[40:]), average="micro"))]
    tuned = MultiLabelTunedThresholdClassifierCV(default_estimators()["mo_lr"], scoring="f1_macro")
    predicted = tuned.fit(X[:40], Y[:40]).predict(X[40:])
    assert results["mo_lr_tuned"]["folds"]["f1_macro"] == [
        pytest.approx(f1_score(Y[40:], predicted, average="macro", zero_division=0))]


@pytest.mark.parametrize(
    "extra, problem",
    [
        (["--cv", "5x2"], "--cv does not apply to --protocol train-test"),
        (["--stratified"], "--stratified does not apply to --protocol train-test"),
    ],
)
def test_train_test_protocol_refuses_cv_options(split, extra, problem, capsys):
    folder = split[0]
    args = ["benchmark", "--data", str(folder / "toy-train.csv"), "--labels", "3",
            "--protocol", "train-test", *extra]
    status, out, err = run(args, capsys)
    assert (status, out) == (2, "")
    assert err == f"skmultimlp: error: {problem} (one predefined split)\n"


def test_train_test_protocol_names_the_missing_file(tmp_path, capsys):
    X, Y = make_multilabel_classification(20, 3, n_classes=2, random_state=0)
    write_csv(tmp_path / "lone-train.csv", X, Y)
    args = ["benchmark", "--data", str(tmp_path / "lone-train.csv"), "--labels", "2",
            "--protocol", "train-test"]
    status, out, err = run(args, capsys)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert f"{tmp_path / 'lone-test.csv'} not found" in err


@pytest.fixture(scope="module")
def keras_imported():
    return pytest.importorskip("keras")


def test_mlp_tuned_runs_and_its_compile_time_is_apart(split, keras_imported, tmp_path,
                                                      monkeypatch, capsys):
    folder = split[0]
    path = tmp_path / "r.json"
    args = ["benchmark", "--data", str(folder / "toy-train.csv"), "--labels", "3",
            "--estimators", "mlp_tuned,knn_tuned", "--cv", "2x1", "--set", "max_iter=3",
            "--set", "hidden_layer_sizes=3,", "--output", str(path)]
    assert run(args, capsys)[0] == 0
    results = json.loads(path.read_text())["results"]
    mlp = results["mlp_tuned"]
    assert all(0 <= value <= 1 for value in mlp["folds"]["f1_micro"])
    fit, compiles = mlp["folds"]["fit_time"], mlp["folds"]["compiles"]
    assert compiles[0] >= 1  # the first fit in this process compiles its loop
    if compiles[1] == 0:  # the second fold reused it: it alone is the fit time
        assert mlp["mean"]["fit_time"] == pytest.approx(fit[1])
        assert mlp["mean"]["compile_time"] == pytest.approx(fit[0] - fit[1])
    else:  # both compiled (another padded shape): nothing to separate
        assert mlp["mean"]["fit_time"] == pytest.approx(np.mean(fit))
        assert mlp["mean"]["compile_time"] is None
    assert results["knn_tuned"]["folds"]["compiles"] == [0, 0]
    assert results["knn_tuned"]["mean"]["compile_time"] == 0


# Memory: a fit too big for the machine is skipped, with one line -----------------------


def test_forest_estimate_bounds_a_fitted_forest():
    X, Y = make_multilabel_classification(300, 5, n_classes=40, random_state=0)
    forest = RandomForestClassifier(n_estimators=10, random_state=0).fit(X, Y)
    held = sum(tree.tree_.value.nbytes + 64 * tree.tree_.node_count
               for tree in forest.estimators_)
    estimate = estimated_fit_bytes(forest, 300, 5, 40)
    assert held <= estimate <= 2 * held


def test_forest_estimate_of_a_large_label_space():
    # 16k rows, 983 labels: a fit killed at 14 GiB, measured then at about 19 GiB
    forest_bytes = estimated_fit_bytes(RandomForestClassifier(), 16_000, 1_000, 983)
    assert 19 * GIB <= forest_bytes <= 35 * GIB
    tuned = MultiLabelTunedThresholdClassifierCV(RandomForestClassifier())
    fold_bytes = estimated_fit_bytes(RandomForestClassifier(), 12_800, 1_000, 983)
    assert estimated_fit_bytes(tuned, 16_000, 1_000, 983) == 5 * fold_bytes + forest_bytes
    assert estimated_fit_bytes(default_estimators()["mlp"], 16_000, 1_000, 983) is None


def test_too_big_estimator_is_skipped_with_one_line(tmp_path, monkeypatch, capsys):
    # a fake big label space (300 labels) against a machine with 10 MiB free
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(60, 4)), (rng.random((60, 300)) < 0.2).astype(int)
    data = write_csv(tmp_path / "wide.csv", X, Y)
    monkeypatch.setattr(cli_memory, "available_bytes", lambda: 10 * 2**20)
    path = tmp_path / "r.json"
    args = ["benchmark", "--data", str(data), "--labels", "300", "--estimators",
            "rf,knn", "--cv", "2x1", "--output", str(path)]
    status, _, err = run(args, capsys)
    assert status == 0
    skipped, wrote = err.splitlines()
    assert skipped == ("skmultimlp: warning: skipped rf: its fitted model would take up to "
                       "17 MiB (30 rows x 300 labels), more than the 10 MiB available")
    assert wrote == f"skmultimlp: wrote {path}"
    document = json.loads(path.read_text())
    assert list(document["metadata"]["skipped"]) == ["rf"]
    assert document["results"]["rf"]["mean"]["f1_micro"] is None
    assert document["results"]["knn"]["mean"]["f1_micro"] > 0


def test_parallel_jobs_share_the_memory(monkeypatch):
    monkeypatch.setattr(cli_memory, "available_bytes", lambda: 30 * 2**20)
    forest = {"rf": RandomForestClassifier()}  # 17 MiB for 30 rows x 300 labels
    assert cli_memory.too_big(forest, 30, 4, 300, n_jobs=1, n_folds=2) == {}
    two = cli_memory.too_big(forest, 30, 4, 300, n_jobs=2, n_folds=2)
    assert two["rf"].endswith("more than the 15 MiB available per job (2 in parallel)")
    assert cli_memory.too_big(forest, 30, 4, 300, n_jobs=4, n_folds=1) == {}  # one fold


# Results as each estimator finishes --------------------------------------------------


class _ReadsTheOutput(KNeighborsClassifier):
    """A KNN that, when fitted, records what the --output file holds at that moment."""

    seen = []

    def __init__(self, n_neighbors=5, path=None):
        super().__init__(n_neighbors=n_neighbors)
        self.path = path

    def fit(self, X, y):
        self.seen.append(json.loads(self.path.read_text()) if self.path.exists() else None)
        return super().fit(X, y)


def test_results_are_written_as_each_estimator_finishes(split, tmp_path, monkeypatch, capsys):
    path = tmp_path / "r.json"
    estimators = {"knn": KNeighborsClassifier(), "spy": _ReadsTheOutput(path=path)}
    monkeypatch.setattr(cli, "_estimators", lambda args, is_sparse: estimators)
    monkeypatch.setattr(_ReadsTheOutput, "seen", [])
    args = ["benchmark", "--data", str(split[0] / "toy-train.csv"), "--labels", "3",
            "--cv", "2x1", "--output", str(path)]
    assert run(args, capsys)[0] == 0
    first = _ReadsTheOutput.seen[0]  # during the spy's first fold
    assert first["metadata"]["complete"] is False
    assert first["metadata"]["finished"] == ["knn"]
    assert list(first["results"]) == ["knn"]
    final = json.loads(path.read_text())
    assert (final["metadata"]["complete"], list(final["results"])) == (True, ["knn", "spy"])
    assert final["results"]["knn"] == first["results"]["knn"]
    assert not list(tmp_path.glob(".*partial"))  # no temporary file left


def test_a_killed_worker_does_not_take_the_other_results_down(split, capsys):
    folder, X, Y = split
    dies = make_pipeline(FunctionTransformer(lambda X: os._exit(3)), KNeighborsClassifier())
    estimators = {"knn": KNeighborsClassifier(), "dies": dies,
                  "knn3": KNeighborsClassifier(n_neighbors=3)}
    splits = [(np.arange(30), np.arange(30, 60)), (np.arange(30, 60), np.arange(30))]
    seen = []
    with parallel_config(backend="loky"):
        summary, folds = cross_validate(estimators, X, Y, splits, 2, False, {},
                                        lambda s, f, finished: seen.append(list(finished)))
    assert seen == [["knn"], ["knn", "dies"], ["knn", "dies", "knn3"]]
    assert summary.loc["dies"].isna().all()
    assert summary.loc[["knn", "knn3"], "mean_f1_micro"].gt(0).all()
    err = capsys.readouterr().err
    assert err.startswith("skmultimlp: warning: dies stopped: TerminatedWorkerError")
    assert err.count("\n") == 1 and err.rstrip().endswith("its results are n/a")


# Label options: the flag's own name, and --labels against a companion XML ------------


def _arff(path, n_rows=12):
    rng = np.random.default_rng(0)
    rows = [f"{rng.normal():.3f},{rng.normal():.3f},{i % 2},{(i // 2) % 2}" for i in range(n_rows)]
    path.write_text("@relation toy\n@attribute x1 numeric\n@attribute x2 numeric\n"
                    "@attribute a {0,1}\n@attribute b {0,1}\n@data\n" + "\n".join(rows) + "\n")
    return path


def test_messages_name_the_command_line_flags(tmp_path, capsys):
    X, Y = make_multilabel_classification(20, 3, n_classes=2, random_state=0)
    status, out, err = run(["benchmark", "--data", str(write_csv(tmp_path / "t.csv", X, Y))],
                           capsys)
    assert (status, out) == (2, "")
    assert err == ("skmultimlp: error: t.csv: pass --label-columns or --labels "
                   "for a CSV file\n")
    status, _, err = run(["benchmark", "--data", str(_arff(tmp_path / "bare.arff"))], capsys)
    assert status == 2 and err.count("\n") == 1
    assert err.rstrip().endswith("relation name; pass --labels N")


def test_labels_that_contradict_the_companion_xml_are_refused(tmp_path, capsys):
    data = _arff(tmp_path / "toy.arff")
    (tmp_path / "toy.xml").write_text(
        '<labels xmlns="http://mulan.sourceforge.net/labels">'
        '<label name="a"></label><label name="b"></label></labels>')
    args = ["benchmark", "--data", str(data), "--estimators", "knn", "--cv", "2x1"]
    status, out, err = run([*args, "--labels", "1"], capsys)
    assert (status, out) == (2, "")
    assert err == ("skmultimlp: error: toy.arff: --labels 1 contradicts toy.xml (2 labels); "
                   "leave out --labels to use the XML file\n")
    status, out, err = run([*args, "--labels", "2"], capsys)  # agreeing: fine
    assert (status, err) == (0, "")
    assert out.startswith("toy: 12 samples x 2 features, 2 labels")


def test_set_needs_the_mlp_or_its_tuned_variant(split, capsys):
    args = ["benchmark", "--data", str(split[0] / "toy-train.csv"), "--labels", "3",
            "--estimators", "knn_tuned", "--set", "dropout=0.1"]
    status, out, err = run(args, capsys)
    assert (status, out) == (2, "")
    assert err == ("skmultimlp: error: --set changes the MLP, but no MLP estimator (mlp, "
                   "mlp_ens, or either with _tuned) is in --estimators\n")


def test_mlp_ens_is_the_mlp_with_three_networks(split, keras_imported, tmp_path, capsys):
    path = tmp_path / "r.json"
    args = ["benchmark", "--data", str(split[0] / "toy-train.csv"), "--labels", "3",
            "--estimators", "mlp_ens,mlp_ens_tuned", "--cv", "2x1", "--set", "max_iter=3",
            "--set", "hidden_layer_sizes=3,", "--output", str(path)]
    assert run(args, capsys)[0] == 0
    results = json.loads(path.read_text())["results"]
    assert all(0 <= value <= 1 for name in ("mlp_ens", "mlp_ens_tuned")
               for value in results[name]["folds"]["f1_micro"])
    options = benchmark_options(cli._build_parser().parse_args(args[:-2]))
    mlp = cli._estimators(options, is_sparse=False)["mlp_ens"][-1]
    assert (mlp.n_networks, mlp.max_iter, mlp.hidden_layer_sizes) == (3, 3, (3,))
    options = benchmark_options(cli._build_parser().parse_args([*args[:-2], "--set", "n_networks=5"]))
    assert cli._estimators(options, is_sparse=False)["mlp_ens_tuned"].estimator[-1].n_networks == 5
