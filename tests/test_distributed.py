"""A grid search scaled out with Dask: joblib's "dask" backend on a local cluster.

Needs the ``distributed`` extra (``pip install ".[distributed]"``); skipped without it.
"""

import os
import random
import warnings
from contextlib import contextmanager

import joblib
import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.datasets import make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from skmultimlp import MultiLabelMLPClassifier

distributed = pytest.importorskip(
    "distributed",
    reason="the `distributed` extra is not installed (pip install '.[distributed]')",
)

GRID = {"alpha": [1e-4, 1e-2], "hidden_layer_sizes": [(8,), (16,)]}
SCORES = ["mean_test_score"] + [f"split{i}_test_score" for i in range(3)]


@contextmanager
def _distributed_side_effects_undone():
    """Put back what starting a cluster changes in this process (distributed's doing).

    The scheduler runs here and picks workers with Python's ``random``; the nannies
    set ``OMP_NUM_THREADS``, ``MALLOC_TRIM_THRESHOLD_`` and the like in ``os.environ``
    for the worker processes they spawn. The estimator's fits run in those workers.
    """
    python_random, environ = random.getstate(), dict(os.environ)
    try:
        yield
    finally:
        random.setstate(python_random)
        os.environ.clear()
        os.environ.update(environ)


def _search(X, Y):
    estimator = MultiLabelMLPClassifier(max_iter=8, learning_rate_init=0.01, random_state=0)
    search = GridSearchCV(estimator, GRID, cv=3, scoring="f1_micro", n_jobs=-1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 8 epochs on purpose
        return search.fit(X, Y)


def test_grid_search_on_a_dask_cluster_matches_loky():
    X, Y = make_multilabel_classification(90, 6, n_classes=3, random_state=0)
    with joblib.parallel_backend("loky", n_jobs=2):
        loky = _search(X, Y)
    with (
        _distributed_side_effects_undone(),
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        with distributed.get_task_stream(client) as tasks, joblib.parallel_backend("dask"):
            dask = _search(X, Y)
        workers = {task["worker"] for task in tasks.data}
    # The cluster's worker processes ran at least one task per fit (4 candidates x 3 folds).
    assert len(tasks.data) >= 12 and len(workers) >= 1
    for key in SCORES:
        assert_array_equal(dask.cv_results_[key], loky.cv_results_[key])
    assert np.all(loky.cv_results_["mean_test_score"] > 0.3)
    assert dask.best_params_ == loky.best_params_
