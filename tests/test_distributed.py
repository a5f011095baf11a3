"""A grid search scaled out with Dask: joblib's "dask" backend on a local cluster.

Needs the ``distributed`` extra (``pip install ".[distributed]"``); skipped without it.
"""

import json
import subprocess
import sys
import warnings
from pathlib import Path

import joblib
import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.datasets import make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from skmultimlp import MultiLabelMLPClassifier

pytest.importorskip(
    "distributed",
    reason="the `distributed` extra is not installed (pip install '.[distributed]')",
)

ROOT = Path(__file__).resolve().parents[1]
GRID = {"alpha": [1e-4, 1e-2], "hidden_layer_sizes": [(8,), (16,)]}
SCORES = ["mean_test_score"] + [f"split{i}_test_score" for i in range(3)]


def _search():
    X, Y = make_multilabel_classification(90, 6, n_classes=3, random_state=0)
    estimator = MultiLabelMLPClassifier(max_iter=8, learning_rate_init=0.01, random_state=0)
    search = GridSearchCV(estimator, GRID, cv=3, scoring="f1_micro", n_jobs=-1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 8 epochs on purpose
        return search.fit(X, Y)


def _search_on_a_local_cluster():
    """The same search on a 2-process cluster: its scores, best parameters and task count."""
    import distributed

    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        with distributed.get_task_stream(client) as tasks, joblib.parallel_backend("dask"):
            search = _search()
    return {
        "scores": {key: search.cv_results_[key].tolist() for key in SCORES},
        "best_params": {k: str(v) for k, v in search.best_params_.items()},
        "tasks": len(tasks.data),
    }


def test_grid_search_on_a_dask_cluster_matches_loky(keras_imported):
    # keras_imported: the search refits its best candidate here, importing Keras.
    with joblib.parallel_backend("loky", n_jobs=2):
        loky = _search()
    # The cluster runs from a child process: it changes its process's global state for
    # good (its scheduler draws from Python's `random`, also from threads that outlive
    # the cluster; its nannies set OMP_NUM_THREADS and the like in `os.environ`).
    child = subprocess.run(
        [sys.executable, "-c", f"import runpy; runpy.run_path({str(Path(__file__))!r}, run_name='__main__')"],
        capture_output=True, text=True, timeout=600, cwd=ROOT,  # cwd: this skmultimlp
    )
    assert child.returncode == 0, child.stderr[-3000:]
    dask = json.loads(child.stdout.strip().splitlines()[-1])
    assert dask["tasks"] >= 12  # at least one task per fit (4 candidates x 3 folds)
    for key in SCORES:
        assert_array_equal(dask["scores"][key], loky.cv_results_[key])
    assert np.all(loky.cv_results_["mean_test_score"] > 0.3)
    assert dask["best_params"] == {k: str(v) for k, v in loky.best_params_.items()}


if __name__ == "__main__":  # the child process of the test
    print(json.dumps(_search_on_a_local_cluster()))
