"""
Scaling a grid search out with Dask
===================================

scikit-learn's searches run their fits through joblib, and joblib's ``"dask"``
backend sends them to a `dask.distributed <https://distributed.dask.org>`_ cluster.
The estimator needs nothing special: each fit is a task that a worker process runs,
and the worker imports Keras once and reuses its compilations for the following
fits of the same shape. Install the extra with ``pip install "skmultimlp[distributed]"``.

This example starts a local cluster of two worker processes, the same code
``tests/test_distributed.py`` runs (where the scores are checked equal to those of
joblib's default ``loky`` backend). It is not run while building the documentation,
because of the worker processes it starts; run it with
``python examples/scaling_with_dask.py``. For a cluster running elsewhere, replace
the ``LocalCluster`` by the scheduler's address: ``Client("tcp://scheduler:8786")``.
"""

import warnings

import joblib
from distributed import Client, LocalCluster
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmultimlp import MultiLabelMLPClassifier
from skmultimlp.datasets import make_tutorial_dataset

if __name__ == "__main__":  # worker processes import this file: start the cluster once
    X, Y = make_tutorial_dataset(n_samples=400, random_state=0)
    pipe = make_pipeline(StandardScaler(), MultiLabelMLPClassifier(max_iter=30, random_state=0))
    grid = {
        "multilabelmlpclassifier__hidden_layer_sizes": [(16,), (64,)],
        "multilabelmlpclassifier__alpha": [1e-4, 1e-2],
    }
    warnings.simplefilter("ignore", ConvergenceWarning)
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1) as cluster, Client(cluster) as client:
        print(client)
        with joblib.parallel_backend("dask"):
            search = GridSearchCV(pipe, grid, cv=3, scoring="f1_micro", n_jobs=-1).fit(X, Y)
    print(search.best_params_, round(search.best_score_, 3))
