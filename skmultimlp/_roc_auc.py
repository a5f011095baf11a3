"""ROC AUC of every label at once, from the ranks of the scores (the report and the benchmark)."""

import numpy as np
from scipy import sparse
from scipy.stats import rankdata


def roc_auc_per_column(y_true, y_score, known=None):
    """ROC AUC of each column, NaN where ``y_true`` is constant (AUC undefined there).

    ``known``: the mask of known entries; each column's AUC is then over its known
    rows only.

    The package's one ROC AUC, for the report and for ``benchmark.compare``: the
    Mann-Whitney statistic from the ranks of the scores (ties get their mean rank),
    computed for all columns at once. It equals
    :func:`~sklearn.metrics.roc_auc_score` up to round-off in the last bit (a test
    checks it, ties included) and is about ten times faster, since scikit-learn
    builds each column's ROC curve in a Python loop.
    """
    # y_true stays in its 0/1 dtype: the products below are float64 without a copy of it.
    y_true = y_true.toarray() if sparse.issparse(y_true) else np.asarray(y_true)
    n_pos = y_true.sum(axis=0, dtype=np.float64)
    if known is None:
        ranks = rankdata(y_score, axis=0)
        n_neg = y_true.shape[0] - n_pos
    else:  # unknown scores become NaN, ranked after the known ones and not counted
        ranks = rankdata(np.where(known, y_score, np.nan), axis=0, nan_policy="omit")
        ranks = np.where(known, ranks, 0.0)
        n_neg = known.sum(axis=0) - n_pos
    defined = (n_pos > 0) & (n_neg > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        auc = ((ranks * y_true).sum(axis=0) - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)
    return np.where(defined, auc, np.nan)


def mean_of_defined(values):
    """Mean of the values that are not NaN; NaN if none is."""
    defined = values[~np.isnan(values)]
    return defined.mean() if defined.size else np.nan


def roc_auc_macro(y_true, y_score):
    """Mean ROC AUC over the labels that take both values in ``y_true``; else NaN."""
    return float(mean_of_defined(roc_auc_per_column(y_true, y_score)))


def auc_summary(y_true, y_score, support, known=None):
    """Per-label AUC and its micro, macro, weighted and samples averages."""
    # Ranks need the dense y_score anyway; a dense 0/1 y_true is 1/8 of its size.
    y_true = y_true.toarray() if sparse.issparse(y_true) else y_true
    per_label = roc_auc_per_column(y_true, y_score, known)
    defined = ~np.isnan(per_label)
    all_values = roc_auc_per_column(
        y_true.reshape(-1, 1), y_score.reshape(-1, 1), None if known is None else known.reshape(-1, 1)
    )
    averages = {
        "micro": float(all_values[0]),
        "macro": mean_of_defined(per_label),
        "weighted": (
            np.average(per_label[defined], weights=support[defined])
            if defined.any()
            else np.nan
        ),
        "samples": mean_of_defined(
            roc_auc_per_column(y_true.T, y_score.T, None if known is None else known.T)
        ),
    }
    return per_label, averages
