"""Tests for skmultimlp.metrics: the multi-label report against sklearn.metrics."""

import tracemalloc

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import sparse
from sklearn.metrics import (
    accuracy_score,
    hamming_loss,
    precision_recall_fscore_support,
    roc_auc_score,
)

from skmultimlp.benchmark._compare import METRIC_BY_NAME
from skmultimlp._roc_auc import roc_auc_per_column
from skmultimlp.metrics import multilabel_report, multilabel_report_frame

AVERAGES = ["micro", "macro", "weighted", "samples"]


@pytest.fixture(scope="module")
def predictions():
    rng = np.random.RandomState(0)
    y_true = (rng.random_sample((200, 5)) < [0.1, 0.3, 0.5, 0.7, 0.2]).astype(int)
    y_score = np.clip(0.6 * y_true + rng.normal(0.2, 0.3, y_true.shape), 0, 1)
    y_score = np.round(y_score, 1)  # ties, to check they count one half as in sklearn
    y_pred = (y_score > 0.5).astype(int)
    return y_true, y_pred, y_score


def _rows_with_both_classes(y_true):
    """The samples whose ROC AUC is defined."""
    n_positive = y_true.sum(axis=1)
    return (n_positive > 0) & (n_positive < y_true.shape[1])


def test_numbers_match_sklearn(predictions):
    y_true, y_pred, y_score = predictions
    report = multilabel_report(y_true, y_pred, y_score, output_dict=True)
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, average=None, zero_division=0.0
    )
    for j in range(y_true.shape[1]):
        row = report[str(j)]
        assert_allclose(
            [row["precision"], row["recall"], row["f1-score"]],
            [precision[j], recall[j], f1[j]],
        )
        assert row["support"] == support[j]
        assert_allclose(row["roc-auc"], roc_auc_score(y_true[:, j], y_score[:, j]))
    for average in AVERAGES:
        row = report[f"{average} avg"]
        expected = precision_recall_fscore_support(
            y_true, y_pred, average=average, zero_division=0.0
        )[:3]
        assert_allclose([row["precision"], row["recall"], row["f1-score"]], expected)
        assert row["support"] == y_true.sum()
        rows = _rows_with_both_classes(y_true) if average == "samples" else slice(None)
        assert_allclose(
            row["roc-auc"], roc_auc_score(y_true[rows], y_score[rows], average=average)
        )
    assert report["subset accuracy"] == accuracy_score(y_true, y_pred)
    assert report["hamming loss"] == hamming_loss(y_true, y_pred)


def test_auc_is_nan_for_constant_labels_and_averages_skip_them(predictions):
    y_true, y_pred, y_score = (a.copy() for a in predictions)
    y_true[:, 0] = 0
    y_true[:, 3] = 1
    report = multilabel_report(y_true, y_pred, y_score, output_dict=True)
    assert np.isnan(report["0"]["roc-auc"]) and np.isnan(report["3"]["roc-auc"])
    defined = [1, 2, 4]
    sub_true, sub_score = y_true[:, defined], y_score[:, defined]
    assert_allclose(report["macro avg"]["roc-auc"], roc_auc_score(sub_true, sub_score))
    assert_allclose(
        report["weighted avg"]["roc-auc"],
        roc_auc_score(sub_true, sub_score, average="weighted"),
    )
    assert_allclose(
        report["micro avg"]["roc-auc"], roc_auc_score(y_true, y_score, average="micro")
    )
    rows = _rows_with_both_classes(y_true)
    assert_allclose(
        report["samples avg"]["roc-auc"],
        roc_auc_score(y_true[rows], y_score[rows], average="samples"),
    )


def test_the_one_roc_auc_is_sklearns_per_label_and_macro(predictions):
    """metrics and benchmark share one ROC AUC, equal to sklearn's up to round-off,
    with tied scores; a constant label (AUC undefined) is NaN and left out of the
    macro mean."""
    y_true, y_pred, y_score = (a.copy() for a in predictions)
    assert len(np.unique(y_score)) < len(y_score) // 10  # many ties
    y_true[:, 0] = 0
    per_label = roc_auc_per_column(y_true, y_score)
    assert np.isnan(per_label[0])
    for j in range(1, y_true.shape[1]):
        assert_allclose(per_label[j], roc_auc_score(y_true[:, j], y_score[:, j]), rtol=1e-12)
    macro = roc_auc_score(y_true[:, 1:], y_score[:, 1:], average="macro")
    report = multilabel_report(y_true, y_pred, y_score, output_dict=True)
    assert_allclose(report["macro avg"]["roc-auc"], macro, rtol=1e-12)
    benchmark_auc = METRIC_BY_NAME["roc_auc_macro"].score
    assert_allclose(benchmark_auc(y_true, y_pred, y_score), macro, rtol=1e-12)
    constant = np.zeros_like(y_true)
    assert np.isnan(benchmark_auc(constant, y_pred, y_score))
    report = multilabel_report(constant, y_pred, y_score, output_dict=True)
    assert np.isnan(report["macro avg"]["roc-auc"])


def test_sparse_input_and_zero_division():
    y_true = np.array([[1, 0, 0], [0, 1, 0], [1, 1, 0]])
    y_pred = np.array([[1, 0, 0], [0, 0, 0], [1, 1, 0]])
    dense = multilabel_report(y_true, y_pred, output_dict=True, zero_division=1.0)
    from_sparse = multilabel_report(
        sparse.csr_matrix(y_true),
        sparse.csr_matrix(y_pred),
        output_dict=True,
        zero_division=1.0,
    )
    assert from_sparse == dense
    assert dense["2"]["precision"] == 1.0 and dense["2"]["support"] == 0
    zero = multilabel_report(y_true, y_pred, output_dict=True)
    assert zero["2"]["precision"] == 0.0
    assert "roc-auc" not in zero["micro avg"]


@pytest.mark.parametrize(
    "convert",
    [
        lambda a: a.astype(np.uint8),
        lambda a: a.astype(bool),
        lambda a: a.astype(np.float32),
        lambda a: sparse.csr_matrix(a.astype(np.uint8)),
        lambda a: sparse.csc_array(a),
    ],
    ids=["uint8", "bool", "float32", "csr-uint8", "csc-int64"],
)
def test_any_01_dtype_or_sparse_format_gives_the_same_report(predictions, convert):
    y_true, y_pred, y_score = predictions  # int64
    expected = multilabel_report(y_true, y_pred, y_score, output_dict=True)
    report = multilabel_report(convert(y_true), convert(y_pred), y_score, output_dict=True)
    assert report == expected
    assert roc_auc_per_column(convert(y_true), y_score) == pytest.approx(
        roc_auc_per_column(y_true, y_score), nan_ok=True
    )


def test_uint8_labels_are_not_copied_to_int64():
    # A uint8 indicator matrix is checked and scored as it is.
    rng = np.random.default_rng(0)
    y_true = (rng.random((4000, 500)) < 0.01).astype(np.uint8)
    y_pred = y_true.copy()
    y_pred[::3] = 0
    tracemalloc.start()
    try:
        report = multilabel_report(y_true, y_pred, output_dict=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < y_true.size * 8  # less than one int64 copy of one matrix (16 MB)
    assert report["subset accuracy"] == pytest.approx(
        accuracy_score(y_true.astype(np.int64), y_pred.astype(np.int64))
    )


def test_text_report(predictions):
    y_true, y_pred, y_score = predictions
    names = ["a", "bb", "ccc", "dddd", "a longer name"]
    text = multilabel_report(y_true, y_pred, y_score, labels=names, digits=3)
    lines = text.splitlines()
    assert lines[0].split() == ["precision", "recall", "f1-score", "support", "roc-auc"]
    for name in names + [f"{a} avg" for a in AVERAGES]:
        row = next(line for line in lines if line.split()[:-5] == name.split())
        assert len(row) == len(lines[0])
    report = multilabel_report(y_true, y_pred, y_score, labels=names, output_dict=True)
    assert f"{report['ccc']['recall']:.3f}" in next(
        line for line in lines if line.strip().startswith("ccc")
    )
    assert f"{report['hamming loss']:.3f}" in lines[-1]
    assert "roc-auc" not in multilabel_report(y_true, y_pred)


def test_frame_matches_dict(predictions):
    pytest.importorskip("pandas")
    y_true, y_pred, y_score = predictions
    frame = multilabel_report_frame(y_true, y_pred, y_score, labels=list("vwxyz"))
    report = multilabel_report(y_true, y_pred, y_score, list("vwxyz"), output_dict=True)
    assert list(frame.index) == list(report)
    assert list(frame.columns) == [
        "precision",
        "recall",
        "f1-score",
        "support",
        "roc-auc",
    ]
    for name in "vwxyz":
        assert frame.loc[name].to_dict() == pytest.approx(report[name])
    assert frame.loc["subset accuracy", "f1-score"] == report["subset accuracy"]
    assert frame.loc["hamming loss", "support"] == len(y_true)
    assert frame["support"].dtype == np.int64


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(y_true=np.array([1, 0, 1])), "y_true must be a 2-D"),
        (dict(y_pred=np.zeros((4, 3))), r"y_true has shape \(4, 2\) but y_pred"),
        (dict(y_pred=np.full((4, 2), 2)), "y_pred must contain only 0 and 1"),
        (dict(y_score=np.zeros((4, 3))), "y_score has"),
        (dict(y_score=np.full((4, 2), np.nan)), "NaN"),
        (dict(labels=["a"]), "1 label names for 2 label columns"),
        (dict(labels=["a", "a"]), "unique"),
        (dict(labels=["a", "micro avg"]), "unique"),
    ],
)
def test_validation(kwargs, match):
    arguments = dict(
        y_true=np.array([[1, 0], [0, 1], [1, 1], [0, 0]]),
        y_pred=np.array([[1, 0], [0, 0], [1, 1], [1, 0]]),
    )
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=match):
        multilabel_report(**arguments)
