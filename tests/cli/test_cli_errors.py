"""``skmultimlp benchmark`` on bad input: output paths checked before the run, one-line
errors without a traceback, no results lost when a file cannot be written, and no
processes left behind on SIGTERM or Ctrl-C."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import make_multilabel_classification
from sklearn.model_selection import RepeatedKFold

import skmultimlp._cli._run as cli_run
import skmultimlp.datasets

from cli_helpers import run, table_rows

pytest.importorskip("pandas")
FAST = ["--estimators", "knn,mo_lr", "--cv", "2x1"]
PACKAGE_ROOT = Path(__file__).absolute().parents[2]


def write_csv(path, X, Y, names=None):
    names = names or [f"f{j}" for j in range(X.shape[1])]
    header = ",".join([*names, *(f"l{j}" for j in range(Y.shape[1]))])
    np.savetxt(path, np.column_stack([X, Y]), delimiter=",", header=header,
               comments="", fmt="%g")
    return path


@pytest.fixture(scope="module")
def csv_file(tmp_path_factory):
    X, Y = make_multilabel_classification(60, 4, n_classes=3, allow_unlabeled=False,
                                          random_state=0)
    return write_csv(tmp_path_factory.mktemp("data") / "toy.csv", X, Y)


def assert_one_line_error(status, out, err, *words):
    assert (status, out) == (2, "")
    assert err.startswith("skmultimlp: error: ") and err.count("\n") == 1, err
    for word in words:
        assert word in err


# Output paths: checked before the run, a fallback after it ------------------------


@pytest.fixture
def no_run(monkeypatch):
    """Fail the test if the cross-validation starts."""
    def compare(*args, **kwargs):
        raise AssertionError("the run started before the paths were checked")

    monkeypatch.setattr(cli_run, "compare", compare)


@pytest.mark.parametrize(
    "option, name, problem",
    [
        ("--plot", "chart.jpg", "plot must end in .png, .svg or .pdf"),
        ("--plot", "chart", "plot must end in .png, .svg or .pdf"),
        ("--plot", "folder.png", "is a folder"),
        ("--output", "folder.json", "is a folder"),
        ("--output", "results.txt", ".json or .csv"),
    ],
)
def test_output_paths_are_checked_before_the_run(option, name, problem, csv_file, tmp_path,
                                                 no_run, capsys):
    (tmp_path / "folder.png").mkdir()
    (tmp_path / "folder.json").mkdir()
    args = ["benchmark", "--data", str(csv_file), "--labels", "3", *FAST]
    status, out, err = run([*args, option, str(tmp_path / name)], capsys)
    assert_one_line_error(status, out, err, problem)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
@pytest.mark.parametrize("option, name", [("--output", "r.json"), ("--plot", "r.svg")])
def test_unwritable_folder_is_refused_before_the_run(option, name, csv_file, no_run, capsys):
    # /proc takes no new file, even for root (for whom chmod proves nothing)
    args = ["benchmark", "--data", str(csv_file), "--labels", "3", *FAST]
    status, out, err = run([*args, option, f"/proc/{name}"], capsys)
    assert_one_line_error(status, out, err, "cannot write in folder /proc")


@pytest.fixture
def folder_vanishes(monkeypatch, tmp_path):
    """An output folder that is deleted while the estimators run; cwd is a fresh folder."""
    folder = tmp_path / "out"
    folder.mkdir()
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    compare = cli_run.compare

    def compare_then_delete(*args, **kwargs):
        results = compare(*args, **kwargs)
        shutil.rmtree(folder, ignore_errors=True)  # called once per estimator
        return results

    monkeypatch.setattr(cli_run, "compare", compare_then_delete)
    return folder, cwd


def test_failed_output_write_keeps_the_results(csv_file, folder_vanishes, capsys):
    folder, cwd = folder_vanishes
    args = ["benchmark", "--data", str(csv_file), "--labels", "3", *FAST]
    status, out, err = run([*args, "--output", str(folder / "results.json")], capsys)
    assert status == 1
    assert out.splitlines()[0].split()[:2] == ["estimator", "subset"]  # the table, at least
    assert [line.split()[0] for line in table_rows(out)] == ["knn", "mo_lr"]
    error, wrote = err.splitlines()
    assert error.startswith(f"skmultimlp: error: cannot write {folder / 'results.json'}: ")
    assert error.endswith(f"saved the results to {cwd / 'results.json'} instead")
    assert wrote == f"skmultimlp: wrote {cwd / 'results.json'}"
    document = json.loads((cwd / "results.json").read_text())
    assert list(document["results"]) == ["knn", "mo_lr"]


def test_failed_plot_keeps_the_table_and_the_output(csv_file, folder_vanishes, tmp_path,
                                                    capsys):
    folder, cwd = folder_vanishes
    (cwd / "chart.png").write_text("taken")
    output = tmp_path / "results.csv"
    args = ["benchmark", "--data", str(csv_file), "--labels", "3", *FAST]
    args += ["--plot", str(folder / "chart.png"), "--output", str(output)]
    status, out, err = run(args, capsys)
    assert status == 1
    assert "knn" in out  # quiet mode, but the table is shown when a file went astray
    assert err.splitlines() == [
        f"skmultimlp: wrote {output}",
        err.splitlines()[1],
        f"skmultimlp: wrote {cwd / 'chart-1.png'}",
    ]
    assert err.splitlines()[1].endswith(f"saved the plot to {cwd / 'chart-1.png'} instead")
    assert (cwd / "chart-1.png").read_bytes()[:4] == b"\x89PNG"
    assert (cwd / "chart.png").read_text() == "taken"
    assert output.is_file()


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"),
                                           (".pdf", b"%PDF")])
def test_all_failed_run_still_plots(suffix, magic, tmp_path, capsys):
    X, Y = make_multilabel_classification(6, 2, n_classes=2, allow_unlabeled=False,
                                          random_state=0)
    data = write_csv(tmp_path / "tiny.csv", X, Y)
    chart = tmp_path / f"chart{suffix}"
    args = ["benchmark", "--data", str(data), "--labels", "2", "--estimators", "knn",
            "--cv", "2x1", "--plot", str(chart)]  # 5 neighbours, 3 training rows
    status, out, err = run(args, capsys)
    assert status == 0
    assert err.startswith("skmultimlp: warning: knn failed on 2 of 2 folds")
    assert err.splitlines()[-1] == f"skmultimlp: wrote {chart}"
    assert table_rows(out)[-1].split()[1] == "n/a"
    assert chart.read_bytes()[:len(magic)] == magic


# Bad numbers, names and encodings: one line, no traceback -------------------------


@pytest.fixture
def tutorial_1000(monkeypatch):
    """A 1000-row stand-in for the tutorial dataset (the real one takes seconds)."""
    X, Y = make_multilabel_classification(1000, 10, n_classes=3, random_state=0)
    monkeypatch.setattr(skmultimlp.datasets, "make_tutorial_dataset", lambda: (X, Y))


@pytest.mark.parametrize(
    "args, problem",
    [
        (["--cv", "5000x1"], "5000 folds need at least 5000 samples, the data have 1000"),
        (["--cv", "1001", "--stratified"], "1001 folds need at least 1001 samples"),
        (["--n-jobs", "0"], "argument --n-jobs: expected a non-zero integer"),
        (["--n-jobs", "two"], "argument --n-jobs: expected a non-zero integer"),
        (["--random-state", "-1"], "argument --random-state: expected an integer from 0"),
        (["--random-state", "4294967296"], "argument --random-state"),
        (["--random-state", "1.5"], "argument --random-state"),
        (["--labels", "²"], "argument --labels: expected a positive integer, got '²'"),
    ],
)
def test_bad_numbers_exit_2_with_one_line(args, problem, tutorial_1000, no_run, capsys):
    status, out, err = run(["benchmark", "--estimators", "knn", *args], capsys)
    assert_one_line_error(status, out, err, problem)


def test_label_columns_takes_a_non_ascii_digit_as_a_name():
    from skmultimlp._cli._options import label_columns

    assert label_columns("²") == ["²"]  # int("²") fails although "²".isdigit()
    assert label_columns("3") == 3


def test_good_numbers_still_pass(tutorial_1000, capsys, monkeypatch):
    seen = {}

    def compare(estimators, X, y, cv, n_jobs, **kwargs):
        seen.update(n_jobs=n_jobs, cv=cv)
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_run, "compare", compare)
    args = ["benchmark", "--estimators", "knn", "--n-jobs", "-2", "--random-state",
            "4294967295", "--cv", "1000x1"]
    status, _, err = run(args, capsys)
    assert (status, err) == (130, "skmultimlp: interrupted\n")
    assert seen["n_jobs"] == -2
    assert len(seen["cv"]) == 1000  # the folds, split once for every estimator
    expected = next(RepeatedKFold(n_splits=1000, n_repeats=1, random_state=2**32 - 1).split(
        np.zeros(1000)))
    assert [list(part) for part in seen["cv"][0]] == [list(part) for part in expected]


def test_files_with_different_feature_names_are_not_stacked(tmp_path, capsys):
    X, Y = make_multilabel_classification(20, 3, n_classes=2, random_state=0)
    first = write_csv(tmp_path / "a.csv", X, Y, ["x", "y", "z"])
    second = write_csv(tmp_path / "b.csv", X, Y, ["x", "w", "z"])
    args = ["benchmark", "--data", str(first), str(second), "--labels", "2", *FAST]
    status, out, err = run(args, capsys)
    assert_one_line_error(status, out, err, "b.csv and a.csv have different features",
                          "column 2: 'w' and 'y'")


TEXT = "x,a,b\n1,0,1\n2,1,0\n3,0,1\n4,1,1\n5,0,1\n6,1,0\n"
ARFF = ("@relation r\n@attribute x numeric\n@attribute a {0,1}\n@attribute b {0,1}\n"
        "@data\n1,0,1\n2,1,0\n3,0,1\n4,1,1\n5,0,1\n6,1,0\n")
LIBSVM = "0,1 1:1\n1 1:2\n0 1:3\n0,1 1:4\n1 1:5\n0 1:6\n"


@pytest.mark.parametrize("name, text", [("t.csv", TEXT), ("t.arff", ARFF), ("t.svm", LIBSVM)])
@pytest.mark.parametrize("encoding", ["utf-8-sig", "latin-1", "utf-16"])
def test_bom_and_other_encodings_never_give_a_traceback(name, text, encoding, tmp_path,
                                                       capsys):
    # Whether a loader reads these is its business; the command either runs or
    # says in one line which file (and line) is the problem.
    path = tmp_path / name
    path.write_bytes(text.replace("x,a", "é,a").replace("x numeric", "é numeric")
                     .encode(encoding))
    labels = [] if name.endswith(".svm") else ["--labels", "2"]
    status, out, err = run(["benchmark", "--data", str(path), *labels,
                            "--estimators", "mo_lr", "--cv", "2x1"], capsys)
    if status != 0:
        assert_one_line_error(status, out, err, name)


def test_non_utf8_file_names_the_file_line_and_byte(tmp_path, monkeypatch, capsys):
    path = tmp_path / "latin.csv"
    path.write_bytes(TEXT.replace("5,0,1", "5,0,1 caf\xe9").encode("latin-1"))

    def load_dataset(path, **kwargs):  # as a loader that reads UTF-8 strictly fails
        path.read_text(encoding="utf-8")

    monkeypatch.setattr(skmultimlp.datasets, "load_dataset", load_dataset)
    status, out, err = run(["benchmark", "--data", str(path), "--labels", "2"], capsys)
    assert_one_line_error(status, out, err,
                          "latin.csv, line 6: not UTF-8 text (byte 0xe9 at column 10)")


def test_loader_error_without_the_file_name_gets_it(tmp_path, monkeypatch, capsys):
    path = write_csv(tmp_path / "named.csv", np.ones((4, 1)), np.ones((4, 1)))

    def load_dataset(path, **kwargs):
        raise ValueError("could not convert string to float: 'x'\nsecond line")

    monkeypatch.setattr(skmultimlp.datasets, "load_dataset", load_dataset)
    status, out, err = run(["benchmark", "--data", str(path), "--labels", "1"], capsys)
    assert_one_line_error(status, out, err,
                          "error: named.csv: could not convert string to float: 'x'")


# SIGTERM and Ctrl-C: exit status, one line, no worker left ------------------------


def descendants(pid):
    """PIDs of the live (not zombie) processes below ``pid``, from ``ps``."""
    table = subprocess.run(["ps", "-A", "-o", "pid=,ppid=,stat="], capture_output=True,
                           text=True, check=True).stdout
    rows = [line.split() for line in table.splitlines()]
    parent = {int(row[0]): int(row[1]) for row in rows}
    found, grown = {pid}, True
    while grown:
        more = {child for child, up in parent.items() if up in found} - found
        found |= more
        grown = bool(more)
    return found - {pid}


def alive(pids):
    """Those of ``pids`` that still run (a zombie waiting for init does not)."""
    table = subprocess.run(["ps", "-A", "-o", "pid=,stat="], capture_output=True,
                           text=True, check=True).stdout
    states = dict(line.split(None, 1) for line in table.splitlines())
    return {pid for pid in pids if not states.get(str(pid), "Z").startswith("Z")}


def wait_for(condition, timeout):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _default_sigint():
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(sys.platform == "win32" or shutil.which("ps") is None,
                    reason="POSIX signals and ps")
@pytest.mark.parametrize("signum, status, word", [(signal.SIGTERM, 143, "terminated"),
                                                  (signal.SIGINT, 130, "interrupted")])
def test_signal_stops_the_run_and_its_workers(signum, status, word, tmp_path):
    X, Y = make_multilabel_classification(300, 8, n_classes=3, random_state=0)
    data = write_csv(tmp_path / "data.csv", X, Y)
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)}
    command = [sys.executable, "-m", "skmultimlp", "benchmark", "--data", str(data),
               "--labels", "3", "--estimators", "rf", "--cv", "10x100", "--n-jobs", "2"]
    # Ctrl-C as in a terminal: a test run started in the background by a non-interactive
    # shell ignores SIGINT, and passes that on to its children.
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env, preexec_fn=_default_sigint)
    children = set()
    try:
        # two workers (and loky's trackers) once the first folds are dispatched
        started = wait_for(lambda: len(children.update(descendants(process.pid))
                                       or children) >= 3, timeout=15)
        assert started, "the workers did not start within 15 s"
        time.sleep(0.5)
        children |= descendants(process.pid)
        process.send_signal(signum)
        sent = time.monotonic()
        out, err = process.communicate(timeout=10)
        assert time.monotonic() - sent < 5
        assert process.returncode == status
        assert err == f"skmultimlp: {word}\n"
        assert wait_for(lambda: not alive(children), timeout=5), alive(children)
    finally:
        # Workers first: one left alive holds the pipes open, and reading them would wait for it.
        children |= descendants(process.pid)
        for pid in alive(children):  # only processes this test started
            os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)
