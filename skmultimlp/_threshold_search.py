"""The threshold search: a metric on a grid of thresholds, one global or one per label.

Shared by :class:`~skmultimlp.MultiLabelTunedThresholdClassifierCV` (out-of-fold
probabilities) and the MLP's ``threshold="auto"`` (the early-stopping split).
"""

import numpy as np
from sklearn.base import BaseEstimator

from ._thresholds import apply_thresholds

# threshold="auto*" -> strategy of the tuner; tuned on the early-stopping validation split
AUTO_THRESHOLDS = {"auto": "global", "auto_per_label": "per_label"}
AUTO_METRICS = ("f1_micro", "f1_macro", "f1_samples")  # a ``scoring`` the thresholds maximise
AUTO_GRID = np.arange(1, 50) / 50  # the tuner's default grid: 0.02, 0.04, ..., 0.98
AUTO_SHRINKAGE = 10.0  # the tuner's default


def auto_metric(scoring):
    """The metric ``threshold="auto"`` maximises: ``scoring`` if an F1 average, else F1-micro."""
    return scoring if scoring in AUTO_METRICS else "f1_micro"


def tune_on_validation(threshold, metric, proba, Y):
    """Thresholds of ``threshold`` ("auto" or "auto_per_label") for ``metric`` on held-out data.

    ``proba`` and ``Y`` are the probabilities and 0/1 targets of the early-stopping
    validation split; the search is ``MultiLabelTunedThresholdClassifierCV``'s.
    """
    Y = np.asarray(Y)
    # unknown labels (_unknown.UNKNOWN) are neither true nor predicted positives, as in the tuner
    proba = np.where(Y <= 1, np.asarray(proba, dtype=np.float64), -np.inf)
    objective = Objective(metric, Y == 1, proba, AUTO_GRID, None)
    return tune_thresholds(objective, AUTO_GRID, AUTO_THRESHOLDS[threshold], AUTO_SHRINKAGE)[1]


F1_AVERAGES = {"f1_micro": "micro", "f1_macro": "macro", "f1_samples": "samples"}


def _f1(tp, predicted, true):
    """F1 from counts, 0 where there is neither a true nor a predicted positive."""
    denominator = predicted + true
    return np.divide(2.0 * tp, denominator, out=np.zeros(np.shape(tp)), where=denominator > 0)


class _Predictions(BaseEstimator):
    """Stands in for an estimator so that a scorer can score given predictions."""

    def __init__(self, predictions=None):
        self.predictions = predictions

    def predict(self, X):
        return self.predictions


class Objective:
    """The metric to maximise on out-of-fold probabilities, evaluated on a grid.

    For the three F1 averages the sweeps are vectorised over the grid from counts;
    a scorer is called once per candidate.
    """

    def __init__(self, scoring, Y, proba, grid, decode):
        self.scoring, self.Y, self.proba, self.grid, self.decode = scoring, Y, proba, grid, decode
        self.n_true = Y.sum(axis=0)
        if scoring in ("f1_micro", "f1_macro"):
            hits = [proba >= t for t in grid]
            self.tp = np.array([(h & Y).sum(axis=0) for h in hits], dtype=np.float64)
            self.predicted = np.array([h.sum(axis=0) for h in hits], dtype=np.float64)

    def score(self, thresholds):
        """The metric with one threshold per label."""
        predictions = apply_thresholds(self.proba, thresholds)
        if self.scoring in F1_AVERAGES:
            axis = 1 if self.scoring == "f1_samples" else 0  # per sample, else per label
            tp, predicted = (predictions & self.Y).sum(axis), predictions.sum(axis)
            true = self.Y.sum(axis)
            if self.scoring == "f1_micro":
                return float(_f1(tp.sum(), predicted.sum(), true.sum()))
            return float(np.mean(_f1(tp, predicted, true)))
        X = np.zeros((len(predictions), 1))
        return float(self.scoring(_Predictions(self.decode(predictions)), X, self.decode(None)))

    def sweep(self, index, label=None):
        """Scores over the grid: for every label (``label`` None) or for one label,
        the others keeping their grid ``index``."""
        if label is None:
            return np.array([self.score(np.full(self.Y.shape[1], t)) for t in self.grid])
        if self.scoring == "f1_micro":
            labels = np.arange(self.Y.shape[1])
            tp = self.tp[index, labels].sum() - self.tp[index[label], label] + self.tp[:, label]
            pred = (
                self.predicted[index, labels].sum()
                - self.predicted[index[label], label]
                + self.predicted[:, label]
            )
            return _f1(tp, pred, self.n_true.sum())
        if self.scoring == "f1_macro":
            f1 = _f1(self.tp[:, label], self.predicted[:, label], self.n_true[label])
            others = _f1(self.tp[index, :], self.predicted[index, :], self.n_true).diagonal()
            return (others.sum() - others[label] + f1) / self.Y.shape[1]
        if self.scoring == "f1_samples":
            return self._sweep_samples(index, label)
        thresholds = self.grid[index].copy()
        scores = []
        for t in self.grid:
            thresholds[label] = t
            scores.append(self.score(thresholds))
        return np.array(scores)

    def _sweep_samples(self, index, label):
        current = self.proba >= self.grid[index]
        y = self.Y[:, label]
        tp = (current & self.Y).sum(axis=1) - (current[:, label] & y)
        predicted = current.sum(axis=1) - current[:, label]
        candidates = self.proba[:, label][None, :] >= self.grid[:, None]
        f1 = _f1(tp + (candidates & y), predicted + candidates, self.Y.sum(axis=1))
        return f1.mean(axis=1)


def tune_thresholds(objective, grid, strategy, shrinkage):
    """The thresholds that maximise ``objective`` (an ``Objective``) over ``grid``.

    Returns the best global threshold, the threshold of each label (per label: one
    sweep of coordinate ascent from the global one, shrunk toward it by
    ``n_pos / (n_pos + shrinkage)``), the objective at those thresholds and the
    ``cv_results_`` dict. Shared by the tuner and the MLP's ``threshold="auto"``.
    """
    scores = objective.sweep(None)
    best = int(np.argmax(scores))
    n_labels = objective.Y.shape[1]
    best_threshold = float(grid[best])
    results = {"thresholds": grid, "scores": scores}
    thresholds = np.full(n_labels, best_threshold)
    if strategy == "per_label":
        index = np.full(n_labels, best)
        label_scores = np.empty((n_labels, grid.size))
        for label in range(n_labels):
            label_scores[label] = objective.sweep(index, label)
            candidate = int(np.argmax(label_scores[label]))
            if label_scores[label, candidate] > label_scores[label, index[label]] + 1e-12:
                index[label] = candidate
        n_positives = objective.Y.sum(axis=0)
        weight = n_positives / np.maximum(n_positives + shrinkage, 1e-12)
        own = grid[index]
        thresholds = best_threshold + weight * (own - best_threshold)
        results.update(label_scores=label_scores, label_thresholds=own, n_positives=n_positives)
    return best_threshold, thresholds, objective.score(thresholds), results
