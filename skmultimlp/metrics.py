"""A per-label report for multi-label predictions.

:func:`multilabel_report` is :func:`sklearn.metrics.classification_report` for label
indicator matrices, with ROC AUC per label when scores are given and the two
example-based measures of multi-label work: subset accuracy and Hamming loss.
"""

import numpy as np
from scipy import sparse
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    hamming_loss,
    precision_recall_fscore_support,
)

from ._roc_auc import auc_summary
from ._unknown import with_unknowns

__all__ = ["known_f1_score", "multilabel_report", "multilabel_report_frame"]

_AVERAGES = ("micro", "macro", "weighted", "samples")
_COLUMNS = ("precision", "recall", "f1-score", "support", "roc-auc")
_EXAMPLE_BASED = ("subset accuracy", "hamming loss")


def _indicator(y, name):
    """``y`` checked as a 0/1 matrix, kept sparse or in its own integer dtype.

    scikit-learn's metrics take any 0/1 dtype and turn indicator matrices into CSR
    themselves, so a uint8 or sparse ``y`` is not copied to int64 here (a 16k x 983
    matrix would take 121 MiB). Float and other dtypes become uint8.
    """
    if sparse.issparse(y):
        y = sparse.csr_matrix(y)
        values = y.data
    else:
        y = values = np.asarray(y)
    if y.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D label indicator matrix of shape (n_samples, "
            f"n_labels), got shape {y.shape}"
        )
    if not np.all((values == 0) | (values == 1)):
        raise ValueError(f"{name} must contain only 0 and 1")
    if y.dtype.kind not in "biu":
        y = y.astype(np.uint8)
    return y


def _known(y_true, y_pred):
    """``y_true`` and ``y_pred`` as 0/1 matrices with both set to 0 where ``y_true`` is
    unknown (NaN, or missing in a DataFrame), and the mask of known entries (None if
    all are).

    An entry that is 0 in both is neither a true, a false nor a missed positive:
    precision, recall and F1 then count the known entries only.
    """
    y_true, unknown = with_unknowns(y_true)
    if unknown is not None:
        y_true = np.where(unknown, 0, y_true)
    y_true = _indicator(y_true, "y_true")
    y_pred = _indicator(y_pred, "y_pred")
    if y_pred.shape != y_true.shape:
        raise ValueError(
            f"y_true has shape {y_true.shape} but y_pred has {y_pred.shape}"
        )
    if unknown is None:
        return y_true, y_pred, None
    y_pred[unknown] = 0
    return y_true, y_pred, ~unknown


def _check_inputs(y_true, y_pred, y_score, labels):
    y_true, y_pred, known = _known(y_true, y_pred)
    if y_score is not None:
        y_score = y_score.toarray() if sparse.issparse(y_score) else np.asarray(y_score)
        if y_score.shape != y_true.shape:
            raise ValueError(
                f"y_true has shape {y_true.shape} but y_score has {y_score.shape}"
            )
        y_score = y_score.astype(np.float64)
        if not np.isfinite(y_score).all():
            raise ValueError("y_score contains NaN or infinity")
    n_labels = y_true.shape[1]
    labels = (
        [str(j) for j in range(n_labels)]
        if labels is None
        else [str(n) for n in labels]
    )
    if len(labels) != n_labels:
        raise ValueError(f"got {len(labels)} label names for {n_labels} label columns")
    reserved = set(labels) & ({f"{a} avg" for a in _AVERAGES} | set(_EXAMPLE_BASED))
    if reserved or len(set(labels)) != n_labels:
        raise ValueError(
            "label names must be unique and differ from the report's row names"
        )
    return y_true, y_pred, y_score, labels, known


def _row(precision, recall, f1, support, auc=None):
    row = {
        "precision": float(precision),
        "recall": float(recall),
        "f1-score": float(f1),
        "support": int(support),
    }
    if auc is not None:
        row["roc-auc"] = float(auc)
    return row


def _report_dict(y_true, y_pred, y_score, labels, zero_division, known=None):
    # Rows without a known label are left out (their entries are all 0 in y_true and
    # y_pred, which only the samples average, subset accuracy and Hamming loss see).
    rows = None if known is None else known.any(axis=1)
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, average=None, zero_division=zero_division
    )
    auc, auc_averages = [None] * len(labels), {}
    if y_score is not None:
        auc, auc_averages = auc_summary(y_true, y_score, support, known)
    report = {
        name: _row(p, r, f, s, a)
        for name, p, r, f, s, a in zip(
            labels, precision, recall, f1, support, auc, strict=True
        )
    }
    for average in _AVERAGES:
        p, r, f, _ = precision_recall_fscore_support(
            y_true, y_pred, average=average, zero_division=zero_division, sample_weight=rows
        )
        report[f"{average} avg"] = _row(
            p, r, f, support.sum(), auc_averages.get(average)
        )
    report["subset accuracy"] = float(accuracy_score(y_true, y_pred, sample_weight=rows))
    if known is None:
        report["hamming loss"] = float(hamming_loss(y_true, y_pred))
    else:
        report["hamming loss"] = float((y_true != y_pred).sum() / known.sum())
    return report


def _format_report(report, n_samples, digits):
    columns = [c for c in _COLUMNS if c in report["micro avg"]]
    width = max(len(name) for name in report)
    lines = [f"{'':>{width}s} " + "".join(f" {c:>9}" for c in columns), ""]

    def line(name, row):
        cells = [
            f" {row[c]:>9}" if c == "support" else f" {row[c]:>9.{digits}f}"
            for c in columns
        ]
        return f"{name:>{width}s} " + "".join(cells)

    rows = [(name, row) for name, row in report.items() if name not in _EXAMPLE_BASED]
    n_labels = len(rows) - len(_AVERAGES)
    lines += [line(name, row) for name, row in rows[:n_labels]] + [""]
    lines += [line(name, row) for name, row in rows[n_labels:]] + [""]
    for name in _EXAMPLE_BASED:
        lines.append(
            f"{name:>{width}s} "
            + " " * 20
            + f" {report[name]:>9.{digits}f} {n_samples:>9}"
        )
    return "\n".join(lines) + "\n"


def multilabel_report(
    y_true,
    y_pred,
    y_score=None,
    labels=None,
    output_dict=False,
    zero_division=0.0,
    digits=2,
):
    """Build a text report of the main multi-label classification metrics.

    For each label: precision, recall, F1 score, support (number of positives) and,
    when ``y_score`` is given, ROC AUC. Then their micro, macro, weighted and samples
    averages, the subset accuracy (exact match ratio) and the Hamming loss. The
    numbers are those of :func:`sklearn.metrics.precision_recall_fscore_support`,
    :func:`~sklearn.metrics.roc_auc_score`, :func:`~sklearn.metrics.accuracy_score`
    and :func:`~sklearn.metrics.hamming_loss`.

    ROC AUC is undefined for a label whose ``y_true`` column is constant: it is NaN
    there, and the macro and weighted averages are taken over the labels where it
    is defined (the samples average likewise over the samples).

    Parameters
    ----------
    y_true : array-like, sparse matrix or DataFrame of shape (n_samples, n_labels)
        True labels, a 0/1 indicator matrix. NaN entries (or missing values of a
        DataFrame) are unknown labels and are left out of every number: an unknown
        entry is neither a true, a false nor a missed positive, ``support`` counts
        known positives, ROC AUC ranks each label's known rows only, subset
        accuracy asks every known label of a row to be right, the Hamming loss is
        per known entry, and rows with no known label do not count (the sample
        count shown is of the others).
    y_pred : array-like or sparse matrix of shape (n_samples, n_labels)
        Predicted labels, a 0/1 indicator matrix.
    y_score : array-like of shape (n_samples, n_labels), default=None
        Scores or probabilities for each label, e.g. ``predict_proba``'s output.
        Adds the ``roc-auc`` column.
    labels : list of str, default=None
        Display names of the label columns, in order (``label_names`` of the
        dataset loaders). Unlike in ``classification_report`` these are names, not a
        selection. By default the column indices.
    output_dict : bool, default=False
        Return a dict instead of text.
    zero_division : {0.0, 1.0, np.nan, "warn"}, default=0.0
        Value of precision, recall and F1 when their denominator is zero; passed to
        :func:`~sklearn.metrics.precision_recall_fscore_support`.
    digits : int, default=2
        Number of decimals in the text report; the dict is not rounded.

    Returns
    -------
    report : str or dict
        The text report, or a dict mapping each label name and ``"micro avg"``,
        ``"macro avg"``, ``"weighted avg"``, ``"samples avg"`` to a dict of
        ``precision``, ``recall``, ``f1-score``, ``support`` (and ``roc-auc``), and
        ``"subset accuracy"`` and ``"hamming loss"`` to floats.

    Raises
    ------
    ValueError
        If an input is not 2-D, the shapes differ, ``y_true`` or ``y_pred`` hold
        values other than 0 and 1, ``y_score`` is not finite, or ``labels`` has the
        wrong length.

    See Also
    --------
    multilabel_report_frame : The same report as a pandas DataFrame.
    sklearn.metrics.classification_report : The single-target report.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultimlp.metrics import multilabel_report
    >>> y_true = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])
    >>> y_pred = np.array([[1, 0], [0, 0], [1, 1], [1, 0]])
    >>> print(multilabel_report(y_true, y_pred, labels=["rain", "wind"]))
                     precision    recall  f1-score   support
    <BLANKLINE>
               rain       0.67      1.00      0.80         2
               wind       1.00      0.50      0.67         2
    <BLANKLINE>
          micro avg       0.75      0.75      0.75         4
          macro avg       0.83      0.75      0.73         4
       weighted avg       0.83      0.75      0.73         4
        samples avg       0.50      0.50      0.50         4
    <BLANKLINE>
    subset accuracy                           0.50         4
       hamming loss                           0.25         4
    <BLANKLINE>
    >>> y_score = np.array([[0.9, 0.2], [0.1, 0.4], [0.8, 0.7], [0.6, 0.3]])
    >>> report = multilabel_report(y_true, y_pred, y_score, output_dict=True)
    >>> report["1"]["roc-auc"], report["micro avg"]["roc-auc"]
    (1.0, 0.9375)

    Unknown labels (NaN) are ignored: the missed "wind" of the second row does not
    count when that label is unknown there.

    >>> y_partial = np.array([[1, 0], [0, np.nan], [1, 1], [0, 0]])
    >>> report = multilabel_report(y_partial, y_pred, labels=["rain", "wind"], output_dict=True)
    >>> report["wind"]["recall"], report["wind"]["support"]
    (1.0, 1)
    """
    y_true, y_pred, y_score, labels, known = _check_inputs(y_true, y_pred, y_score, labels)
    report = _report_dict(y_true, y_pred, y_score, labels, zero_division, known)
    n_samples = len(y_true) if known is None else int(known.any(axis=1).sum())
    return report if output_dict else _format_report(report, n_samples, digits)


def multilabel_report_frame(
    y_true, y_pred, y_score=None, labels=None, zero_division=0.0
):
    """The :func:`multilabel_report` as a pandas DataFrame.

    Requires pandas. One row per label, then ``"micro avg"``, ``"macro avg"``,
    ``"weighted avg"`` and ``"samples avg"``, then ``"subset accuracy"`` and
    ``"hamming loss"`` whose value is in the ``f1-score`` column (the others are NaN
    and the support is the number of samples), as in the text report.

    Parameters
    ----------
    y_true, y_pred, y_score, labels, zero_division
        As in :func:`multilabel_report`.

    Returns
    -------
    frame : pandas.DataFrame
        Columns ``precision``, ``recall``, ``f1-score``, ``support`` and, when
        ``y_score`` is given, ``roc-auc``.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultimlp.metrics import multilabel_report_frame
    >>> y_true = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])
    >>> y_pred = np.array([[1, 0], [0, 0], [1, 1], [1, 0]])
    >>> frame = multilabel_report_frame(y_true, y_pred, labels=["rain", "wind"])
    >>> frame.loc["wind", "recall"], frame.loc["hamming loss", "f1-score"]
    (np.float64(0.5), np.float64(0.25))
    """
    import pandas as pd

    report = multilabel_report(
        y_true, y_pred, y_score, labels, output_dict=True, zero_division=zero_division
    )
    n_samples = np.shape(y_true)[0]
    rows = {name: row for name, row in report.items() if name not in _EXAMPLE_BASED}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    for name in _EXAMPLE_BASED:
        frame.loc[name] = np.nan
        frame.loc[name, ["f1-score", "support"]] = [report[name], n_samples]
    return frame.astype({"support": np.int64})


def known_f1_score(y_true, y_pred, *, average="micro", zero_division=0.0):
    """F1 score of a multi-label target whose unknown labels are left out.

    :func:`sklearn.metrics.f1_score` over the known entries of ``y_true``: an entry
    that is NaN (or missing in a DataFrame) is neither a true, a false nor a missed
    positive, and rows with no known label do not count in the ``"samples"``
    average. Without unknown entries it is ``f1_score``. Make it a scorer for
    cross-validation or grid search on partially labelled data with
    ``make_scorer(known_f1_score, average="macro")``.

    Parameters
    ----------
    y_true : array-like or DataFrame of shape (n_samples, n_labels)
        True labels, a 0/1 indicator matrix; NaN marks an unknown label.
    y_pred : array-like or sparse matrix of shape (n_samples, n_labels)
        Predicted labels, a 0/1 indicator matrix.
    average : {"micro", "macro", "weighted", "samples"} or None, default="micro"
        As in :func:`~sklearn.metrics.f1_score`; None returns the F1 of each label.
    zero_division : {0.0, 1.0, np.nan, "warn"}, default=0.0
        Value where there is neither a true nor a predicted positive.

    Returns
    -------
    f1 : float or ndarray of shape (n_labels,)
        The F1 score (of each label when ``average`` is None).

    Examples
    --------
    >>> import numpy as np
    >>> from skmultimlp.metrics import known_f1_score
    >>> y_true = np.array([[1, np.nan], [0, 1], [1, 0]])
    >>> y_pred = np.array([[1, 1], [0, 1], [0, 0]])
    >>> known_f1_score(y_true, y_pred)
    0.8
    """
    y_true, y_pred, known = _known(y_true, y_pred)
    rows = None if known is None else known.any(axis=1)
    f1 = f1_score(y_true, y_pred, average=average, zero_division=zero_division, sample_weight=rows)
    return f1 if average is None else float(f1)
