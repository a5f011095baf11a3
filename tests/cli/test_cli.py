"""Tests of the command line, ``skmultimlp benchmark``, run in-process via main()."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sklearn
from sklearn.datasets import make_multilabel_classification

import skmultimlp._cli._run as cli_run
import skmultimlp.datasets
from skmultimlp.__main__ import main

from cli_helpers import run, table_rows
from skmultimlp._cli._options import parse_value

pd = pytest.importorskip("pandas")
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

FAST = ["--estimators", "knn,mo_lr", "--cv", "2x1"]
PACKAGE_ROOT = Path(__file__).absolute().parents[2]


@pytest.fixture(scope="module")
def small():
    X, Y = make_multilabel_classification(
        60, 4, n_classes=3, allow_unlabeled=False, random_state=0
    )
    return X, Y


@pytest.fixture(scope="module")
def csv_file(small, tmp_path_factory):
    X, Y = small
    path = tmp_path_factory.mktemp("data") / "toy.csv"
    table = np.column_stack([X, Y])
    header = "f0,f1,f2,f3,rain,wind,sun"
    np.savetxt(path, table, delimiter=",", header=header, comments="", fmt="%g")
    return path


def test_table_names_the_dataset_and_every_estimator(csv_file, capsys):
    args = ["benchmark", "--data", str(csv_file), "--labels", "3", *FAST]
    status, out, err = run(args, capsys)
    assert status == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[0].startswith("toy: 60 samples x 4 features, 3 labels; cv: 2-fold x 1")
    header, rows = lines[2], table_rows(out)
    assert header.split()[:4] == ["estimator", "subset", "acc", "↑"]
    assert "hamming loss ↓" in header and "F1 micro ↑" in header and "compile (s)" in header
    assert [row.split()[0] for row in rows] == ["knn", "mo_lr"]
    assert all(row.count("±") == 9 for row in rows)
    assert len({len(line) for line in lines[2:2 + 1 + len(rows)]}) == 1  # aligned
    legend = lines[2 + 1 + len(rows):]
    assert legend[1].startswith("estimators (SCALER: StandardScaler")
    assert legend[2].split(None, 1) == ["knn", "Pipeline(SCALER, KNeighborsClassifier()) (5 neighbours)"]
    assert legend[3].split()[:2] == ["mo_lr", "Pipeline(SCALER,"]


def test_default_data_is_the_tutorial_dataset(small, monkeypatch, capsys):
    monkeypatch.setattr(skmultimlp.datasets, "make_tutorial_dataset", lambda: small)
    status, out, _ = run(["benchmark", *FAST], capsys)
    assert status == 0
    assert out.startswith("tutorial: 60 samples x 4 features, 3 labels")


def test_json_output_is_quiet_and_has_metadata_and_folds(csv_file, tmp_path, capsys):
    path = tmp_path / "results.json"
    args = ["benchmark", "--data", str(csv_file), "--label-columns", "rain,wind,sun"]
    status, out, err = run([*args, *FAST, "--output", str(path)], capsys)
    assert (status, out, err) == (0, "", f"skmultimlp: wrote {path}\n")
    document = json.loads(path.read_text())
    meta = document["metadata"]
    assert meta["dataset"] == "toy"
    assert (meta["n_samples"], meta["n_features"], meta["n_labels"]) == (60, 4, 3)
    assert meta["label_names"] == ["rain", "wind", "sun"]
    assert (meta["n_splits"], meta["n_repeats"], meta["stratified"]) == (2, 1, False)
    assert meta["versions"]["scikit-learn"] and meta["date"]
    results = document["results"]
    assert list(results) == ["knn", "mo_lr"]
    for result in results.values():
        assert set(result) == {"mean", "std", "folds"}
        assert result["folds"]["compiles"] == [0, 0]  # no baseline compiles
        assert result["mean"]["compile_time"] == result["std"]["compile_time"] == 0
        for metric, values in result["folds"].items():
            assert len(values) == 2
            if metric != "compiles":
                assert result["mean"][metric] == pytest.approx(np.mean(values))
                assert result["std"][metric] == pytest.approx(np.std(values))


def test_json_metadata_names_backend_versions_and_estimators(csv_file, tmp_path, capsys):
    path = tmp_path / "results.json"
    args = ["benchmark", "--data", str(csv_file), "--labels", "3", *FAST, "--output", str(path)]
    assert run(args, capsys)[0] == 0
    meta = json.loads(path.read_text())["metadata"]
    versions = meta["versions"]
    for package in ("numpy", "scipy", "scikit-learn", "keras", "tensorflow", "jax", "torch"):
        assert package in versions  # None when not installed
    assert versions["scikit-learn"] == sklearn.__version__
    assert versions["numpy"] == np.__version__
    # no MLP in the run: Keras is not imported, the backend is the configured one
    assert versions["keras_backend"] == os.environ.get("KERAS_BACKEND", "tensorflow")
    assert meta["estimator_definitions"]["mo_lr"].startswith(
        "Pipeline(SCALER, MultiOutputClassifier(LogisticRegression(max_iter=1000)))")
    assert meta["estimator_params"]["knn"] == (
        "Pipeline(steps=[('scale', StandardScaler()), ('model', KNeighborsClassifier())])")
    assert (meta["protocol"], meta["complete"], meta["finished"]) == ("cv", True, ["knn", "mo_lr"])
    assert (meta["tune_scoring"], meta["tune_strategy"], meta["skipped"]) == ("f1_micro", "global", {})


def test_help_explains_every_estimator_name(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["benchmark", "--help"])
    assert exit_.value.code == 0
    help_text = capsys.readouterr().out
    for name in ("mlp", "rf", "mo_lr", "cc_lr", "knn", "sk_mlp", "NAME_tuned"):
        assert f"\n  {name} " in help_text, name
    assert "MultiOutputClassifier(LogisticRegression(max_iter=1000))" in help_text
    assert "MultiLabelTunedThresholdClassifierCV(NAME," in help_text
    assert "scoring=TUNE_SCORING, strategy=TUNE_STRATEGY" in help_text


def test_csv_output_has_one_row_per_estimator(csv_file, tmp_path, capsys):
    path = tmp_path / "results.csv"
    args = ["benchmark", "--data", str(csv_file), "--label-columns", "3"]
    args.append("--stratified")
    status, out, _ = run([*args, *FAST, "--output", str(path)], capsys)
    assert (status, out) == (0, "")
    table = pd.read_csv(path, index_col="estimator")
    assert list(table.index) == ["knn", "mo_lr"]
    assert {"mean_f1_micro", "std_f1_micro", "mean_fit_time"} <= set(table.columns)
    assert table["mean_roc_auc_macro"].between(0, 1).all()


def test_plot_writes_a_png(csv_file, tmp_path, capsys):
    path = tmp_path / "results.png"
    args = ["benchmark", "--data", str(csv_file), "--labels", "3", *FAST]
    status, _, _ = run([*args, "--plot", str(path)], capsys)
    assert status == 0
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 20_000


def test_constant_label_is_fitted_by_the_logistic_baselines(small, tmp_path, capsys):
    X, Y = small
    Y = Y.copy()
    Y[:, 0] = 0  # a plain LogisticRegression refuses a constant label
    path = tmp_path / "constant.csv"
    table = np.column_stack([X, Y])
    np.savetxt(path, table, delimiter=",", fmt="%g", header="f0,f1,f2,f3,a,b,c", comments="")
    args = ["benchmark", "--data", str(path), "--labels", "3", "--estimators", "mo_lr,cc_lr",
            "--cv", "2x1"]
    status, out, err = run(args, capsys)
    assert status == 0 and err == ""
    rows = {line.split()[0]: line.split() for line in table_rows(out)}
    assert set(rows) == {"mo_lr", "cc_lr"} and "n/a" not in out


def test_failing_estimator_is_reported_and_shown_as_na(csv_file, keras_imported, monkeypatch, capsys):
    args = ["benchmark", "--data", str(csv_file), "--labels", "3", "--estimators", "mlp,knn",
            "--cv", "2x1", "--set", "threshold=0.5,0.5"]  # 2 thresholds for 3 labels
    status, out, err = run(args, capsys)
    assert status == 0
    assert err.startswith("skmultimlp: warning: mlp failed on 2 of 2 folds")
    assert err.count("\n") == 1
    mlp_row = next(line for line in table_rows(out) if line.startswith("mlp"))
    assert mlp_row.split()[1:3] == ["n/a", "n/a"]


@pytest.fixture(scope="module")
def keras_imported():
    """Import Keras before the global-state guard looks: importing TensorFlow
    sets environment variables."""
    return pytest.importorskip("keras")


def test_set_overrides_reach_the_mlp(csv_file, keras_imported, monkeypatch):
    seen = {}

    class Stop(BaseException):  # not an Exception: one estimator's errors do not stop a run
        pass

    def spy(estimators, X, y, **kwargs):
        seen.update(estimators["mlp"][-1].get_params())
        raise Stop

    monkeypatch.setattr(cli_run, "compare", spy)
    args = ["benchmark", "--data", str(csv_file), "--labels", "3"]
    args += ["--estimators", "mlp"]
    sets = ["hidden_layer_sizes=64,64", "dropout=0.2", "early_stopping=true"]
    with pytest.raises(Stop):
        main([*args, *(f"--set={s}" for s in sets)])
    assert seen["hidden_layer_sizes"] == (64, 64)
    assert seen["dropout"] == 0.2
    assert seen["early_stopping"] is True


def test_runs_the_keras_mlp_quietly(csv_file, keras_imported, monkeypatch, capsys):
    args = ["benchmark", "--data", str(csv_file), "--labels", "3", "--cv", "2x1"]
    args += ["--estimators", "mlp", "--set", "max_iter=1", "--set", "batch_size=64"]
    status, out, err = run(args, capsys)
    assert (status, err) == (0, "")
    assert table_rows(out)[-1].startswith("mlp ")


@pytest.mark.parametrize(
    "text, value",
    [
        ("64,64", (64, 64)),
        ("64,", (64,)),
        ("0.2", 0.2),
        ("1e-3", 0.001),
        ("200", 200),
        ("TRUE", True),
        ("false", False),
        ("None", None),
        ("adam", "adam"),
        ("relu,tanh", ("relu", "tanh")),
        ("true,None", (True, None)),
        ("64,,64", (64, 64)),
        (" 64 , x ", (64, "x")),
        ("007", 7),
        ("[64, 64]", [64, 64]),
        ("(64,)", (64,)),
        ("'64'", "64"),
        ("-0.5", -0.5),
        ("(64", "(64"),
        ("", ""),
    ],
)
def test_parse_value(text, value):
    assert parse_value(text) == value
    assert type(parse_value(text)) is type(value)


@pytest.mark.parametrize("text", ["inf", "-inf", "nan", "1e400"])
def test_parse_value_reads_float_words_that_are_not_literals(text):
    value = parse_value(text)
    assert type(value) is float
    assert repr(value) == repr(float(text))


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    (folder / "broken.arff").write_text("@relation r\n@attribute a numeric\nnot arff\n")
    (folder / "small.arff").write_text(
        "@relation r\n@attribute x numeric\n@attribute l {0,1}\n@data\n1,0\n2,1\n"
    )
    (folder / "counts.csv").write_text("x,a,b\n1,0,2\n2,1,0\n3,0,1\n")
    return folder


@pytest.mark.parametrize(
    "args, problem",
    [
        (["--data", "{bad}/missing.arff"], "not found"),
        (["--data", "{bad}/broken.arff"], "broken.arff"),
        (["--data", "{bad}/small.arff", "--labels", "5"], "label"),
        (["--data", "{bad}/counts.csv", "--labels", "2"], "0/1"),
        (["--estimators", "mlp,svm"], "unknown estimator 'svm'"),
        (["--cv", "ten"], "--cv"),
        (["--cv", "1x3"], "at least 2 folds"),
        (["--set", "dropout"], "KEY=VALUE"),
        (["--set", "n_layers=3"], "no parameter 'n_layers'"),
        (["--output", "results.txt"], ".json or .csv"),
        (["--plot", "{bad}/no/such/folder/r.png"], "folder not found"),
        (["--labels", "0"], "positive integer"),
    ],
)
def test_errors_exit_2_with_one_line(args, problem, bad_files, capsys):
    args = [arg.format(bad=bad_files) for arg in args]
    status, out, err = run(["benchmark", *args], capsys)
    assert status == 2
    assert out == ""
    assert err.startswith("skmultimlp: error: ")
    assert err.count("\n") == 1
    assert problem in err


def test_missing_command_is_an_error(capsys):
    status, _, err = run([], capsys)
    assert status == 2
    assert err.count("\n") == 1


def test_emotions_short_run(data_dir, tmp_path, capsys):
    path = tmp_path / "emotions.json"
    args = ["benchmark", "--data", str(data_dir / "emotions" / "emotions.arff"), *FAST]
    status, _, _ = run([*args, "--output", str(path)], capsys)
    assert status == 0
    meta = json.loads(path.read_text())["metadata"]
    assert (meta["n_samples"], meta["n_features"], meta["n_labels"]) == (593, 72, 6)
    assert meta["label_names"][0] == "amazed-suprised"


def test_python_dash_m_help():
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "skmultimlp", "benchmark", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "--label-columns" in result.stdout
    assert "--stratified" in result.stdout


def test_invalid_set_value_is_a_usage_error(csv_file, capsys):
    args = ["benchmark", "--data", str(csv_file), "--labels", "3", "--set", "dropout=2.0"]
    status, out, err = run(args, capsys)
    assert status == 2 and out == ""
    assert err.startswith("skmultimlp: error: --set: The 'dropout' parameter of MultiLabelMLPClassifier")
    assert err.count("\n") == 1


def test_several_data_files_are_stacked(data_dir, tmp_path, capsys):
    folder = data_dir / "emotions"
    path = tmp_path / "emotions.json"
    args = ["benchmark", "--data", str(folder / "emotions-train.arff"),
            str(folder / "emotions-test.arff"), *FAST, "--output", str(path)]
    status, _, _ = run(args, capsys)
    assert status == 0
    meta = json.loads(path.read_text())["metadata"]
    assert meta["dataset"] == "emotions-train+emotions-test"
    assert (meta["n_samples"], meta["n_features"], meta["n_labels"]) == (391 + 202, 72, 6)
    assert meta["data_paths"] == [str(folder / "emotions-train.arff"),
                                  str(folder / "emotions-test.arff")]


def test_files_with_different_features_are_not_stacked(data_dir, capsys):
    args = ["benchmark", "--data", str(data_dir / "emotions" / "emotions-test.arff"),
            str(data_dir / "yeast" / "yeast-test.arff"), *FAST]
    status, out, err = run(args, capsys)
    assert status == 2
    assert out == ""
    assert "yeast-test.arff has 103 features, emotions-test.arff has 72" in err
    assert err.count("\n") == 1


def test_files_with_different_labels_are_not_stacked(csv_file, tmp_path, capsys):
    other = tmp_path / "other.csv"
    lines = csv_file.read_text().splitlines()
    other.write_text("\n".join(["f0,f1,f2,f3,rain,wind,snow", *lines[1:]]) + "\n")
    args = ["benchmark", "--data", str(csv_file), str(other), "--labels", "3", *FAST]
    status, out, err = run(args, capsys)
    assert status == 2
    assert "other.csv and toy.csv have different labels" in err
