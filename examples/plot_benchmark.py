"""
Comparing with scikit-learn baselines: the benchmark API
========================================================

:func:`skmultimlp.benchmark.compare` cross-validates several multi-label classifiers
on the same folds and returns the mean and standard deviation of each metric, the
table the ``skmultimlp benchmark`` command prints. Here it runs on a small version of
the tutorial's data (3 folds) with the six estimators of
:func:`~skmultimlp.benchmark.default_estimators`, and the result is plotted with
pandas and matplotlib.
"""

# %%
import warnings

import matplotlib.pyplot as plt
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import KFold

from skmultimlp.benchmark import compare, default_estimators
from skmultimlp.datasets import make_tutorial_dataset

X, Y = make_tutorial_dataset(n_samples=400, random_state=0)
estimators = default_estimators(random_state=0)
print(list(estimators))  # short names: mlp, rf, mo_lr, cc_lr, knn, sk_mlp
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)  # sk_mlp keeps max_iter=200
    summary = compare(
        estimators, X, Y, cv=KFold(3, shuffle=True, random_state=0),
        scoring=["subset_accuracy", "hamming_loss", "f1_micro", "roc_auc_macro"],
        progress=False,
    )
print(summary[["mean_subset_accuracy", "mean_hamming_loss", "mean_f1_micro", "mean_fit_time"]].round(3).to_string())

# %%
# One bar per estimator and metric, with the standard deviation over the folds.
# Higher is better for every metric here except the Hamming loss.
metrics = ["subset_accuracy", "f1_micro", "roc_auc_macro", "hamming_loss"]
fig, axes = plt.subplots(1, len(metrics), figsize=(12, 3), sharey=True)
for ax, metric in zip(axes, metrics):
    summary[f"mean_{metric}"].plot.barh(ax=ax, xerr=summary[f"std_{metric}"], color="tab:blue")
    arrow = "lower is better" if metric == "hamming_loss" else "higher is better"
    ax.set_title(f"{metric}\n({arrow})", fontsize=9)
    ax.set_ylabel("")
fig.tight_layout()
plt.show()
