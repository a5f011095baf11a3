"""What the network is trained to predict: target encoding, class weights, validation split.

A target is a 0/1 matrix ``Y`` (one column per output), its kind (``"multilabel"``,
``"binary"`` or ``"multiclass"``) and its class names.

Unknown labels (NaN in a multi-label target) are ``_unknown.UNKNOWN`` in ``Y``.
"""

import warnings
from typing import NamedTuple, Optional

import numpy as np
import scipy.sparse as sp
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelBinarizer, MultiLabelBinarizer
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets

from ._arrays import aligned_zeros
from ._compat import _check_sample_weight
from ._inputs import input_kind
from ._training import TrainingData, Validation
from ._unknown import UNKNOWN, unknown_entries
from .model_selection import iterative_stratification


class Target(NamedTuple):
    """An encoded target: ``Y`` (n_samples, n_outputs) of 0/1, its kind and classes."""

    Y: np.ndarray
    kind: str
    classes: np.ndarray
    y1d: Optional[np.ndarray] = None  # class codes of a binary / multiclass target
    has_unknown: bool = False  # Y is uint8 with UNKNOWN entries (multi-label only)

    @property
    def is_multilabel(self):
        return self.kind == "multilabel"

    @property
    def output_activation(self):
        """The network's output: one softmax over the classes, or one sigmoid per column."""
        return "softmax" if self.kind == "multiclass" else "sigmoid"

    @property
    def n_thresholds(self):
        """Decision thresholds: one per label, one for a binary target (its single sigmoid)."""
        return 1 if self.kind == "binary" else self.Y.shape[1]

    @property
    def weigh_validation(self):
        """Whether class weights weigh the validation loss too (see ``Settings``)."""
        return not self.is_multilabel


CHECK_ROWS = 2**16  # rows of Y checked at a time


_LABEL_COLLECTIONS = (list, tuple, set, frozenset)


def is_label_sets(y):
    """True for label collections, such as ``[["a", "b"], [], ["b"]]`` or ``[(1, 2), (0, 3)]``.

    A list (or pandas Series, or 1-D object array) of tuples, sets or lists is label
    sets, with one exception that scikit-learn's conventions fix: a list of equal-length
    lists of 0/1 values is an indicator matrix (what ``Y.tolist()`` gives). An array
    or sparse matrix is always an indicator matrix.
    """
    if hasattr(y, "dtype") and hasattr(y, "ndim"):  # arrays and Series: only object vectors
        if y.dtype != object or y.ndim != 1:
            return False
        y = list(y)
    if not isinstance(y, (list, tuple)) or len(y) == 0:
        return False
    if not all(isinstance(labels, _LABEL_COLLECTIONS) for labels in y):
        return False
    return not (all(isinstance(labels, list) for labels in y) and _is_01_rectangle(y))


def _is_01_rectangle(rows):
    width = len(rows[0])
    return all(len(row) == width for row in rows) and all(
        isinstance(v, (bool, int, float, np.integer, np.floating, np.bool_)) and v in (0, 1)
        for row in rows for v in row
    )


def _dataframe_indicator(frame):
    """The 0/1 matrix of a DataFrame target, nullable (``Int64``, ``boolean``) columns included.

    Missing values (NaN, ``pd.NA``, None) become NaN: unknown labels.
    """
    if frame.isna().to_numpy().any():
        try:
            return frame.to_numpy(dtype=np.float64, na_value=np.nan)
        except (TypeError, ValueError):
            raise ValueError("A DataFrame target must hold 0/1 columns, one per label.") from None
    Y = frame.to_numpy()
    if Y.dtype == object:  # pandas' nullable extension dtypes come out as objects
        try:
            Y = frame.to_numpy(dtype=np.float64)
        except (TypeError, ValueError):
            pass
    if not np.issubdtype(Y.dtype, np.number) and Y.dtype != bool:
        raise ValueError("A DataFrame target must hold 0/1 columns, one per label.")
    return Y


def sample_weights(sample_weight, X):
    """Validated float32 sample weights: non-negative, not all zero."""
    sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float32, ensure_non_negative=True)
    if not sample_weight.sum() > 0:  # scikit-learn < 1.9 accepts all-zero weights
        raise ValueError("sample_weight is zero for every sample: there is nothing to learn from.")
    return sample_weight


def encode_target(y, classes=None):
    """Encode any supported target (label sets, DataFrame, indicator matrix, 1-D labels).

    ``classes``, when given (``partial_fit``), fixes the classes or labels: ``y`` may
    use only some of them, but none other.
    """
    if y is None:
        raise ValueError("This estimator requires y to be passed, but the target y is None.")
    if is_label_sets(y):
        binarizer = MultiLabelBinarizer(classes=None if classes is None else list(classes))
        if classes is not None:
            _check_known(set().union(*map(set, y)), classes)
        Y = binarizer.fit_transform(y)
        return check_multilabel(Y, np.asarray(binarizer.classes_, dtype=object), classes is None)
    if hasattr(y, "columns") and hasattr(y, "to_numpy"):  # pandas DataFrame
        names = np.asarray(y.columns, dtype=object)
        return check_multilabel(_dataframe_indicator(y), _same_width(names, classes), classes is None)
    if sp.issparse(y):
        # 0/1 sparse labels densify as uint8 (1 byte a label), anything else is reported
        zero_one = np.all((y.data == 0) | (y.data == 1))
        y = y.astype(np.uint8).toarray() if zero_one else y.toarray()
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        if y.dtype.kind not in "biuf":
            raise ValueError(
                f"A 2-D target must be a 0/1 indicator matrix, got dtype {y.dtype}."
            )
        return check_multilabel(y, _same_width(np.arange(y.shape[1]), classes), classes is None)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D or a 2-D indicator matrix, got shape {y.shape}.")
    if y.shape[0] == 0:
        raise ValueError("y is empty: found 0 samples.")
    if y.dtype.kind == "f" and np.isnan(y).any():
        raise ValueError(
            "y has NaN (unknown) labels; unknown labels are supported for multi-label targets "
            "only, not for a 1-D binary or multiclass target: drop those samples."
        )
    return encode_classes(y, classes)


def _check_known(labels, classes):
    unknown = sorted(set(labels) - set(classes), key=str)
    if unknown:
        raise ValueError(f"`y` has classes not in `classes`: {unknown[:10]}; `classes` is {list(classes)}.")


def _same_width(names, classes):
    if classes is None:
        return names
    if len(classes) != len(names):
        raise ValueError(f"`classes` has {len(classes)} labels but the target has {len(names)} columns.")
    return np.asarray(classes)


def encode_classes(y, classes=None):
    """A 1-D binary or multiclass target, encoded by ``LabelBinarizer`` as MLPClassifier does."""
    check_classification_targets(y)
    if classes is not None:
        _check_known(np.unique(y), classes)
    binarizer = LabelBinarizer().fit(y if classes is None else classes)
    classes = binarizer.classes_
    if len(classes) < 2:
        raise ValueError(
            f"y has only one class ({classes[0]!r}); a classifier needs at least two classes."
        )
    kind = "binary" if len(classes) == 2 else "multiclass"
    Y = binarizer.transform(y).astype(np.float32)  # one column for binary, one-hot otherwise
    return Target(Y, kind, classes, np.searchsorted(classes, y))


def check_multilabel(Y, classes, warn_constant=True):
    """A multi-label target from a 0/1 matrix, NaN for unknown entries; warns about labels
    constant in the data (not for the chunks of ``partial_fit``, where that is common)."""
    Y = np.asarray(Y)
    if Y.ndim != 2 or Y.shape[1] < 1:
        raise ValueError(f"A multi-label target must be 2-D with one column per label, got {Y.shape}.")
    unknown = unknown_entries(Y)

    def valid(rows):
        ok = (Y[rows] == 0) | (Y[rows] == 1)
        return ok if unknown is None else ok | unknown[rows]

    # Checked and counted in blocks of rows: whole-matrix masks would be Y-sized temporaries
    blocks = [slice(start, start + CHECK_ROWS) for start in range(0, Y.shape[0], CHECK_ROWS)]
    if not all(np.all(valid(rows)) for rows in blocks):  # also rejects inf, without a float copy
        bad = np.unique(Y[~valid(slice(None))])[:5]
        raise ValueError(
            f"A multi-label target must contain only 0 and 1; found {bad.tolist()} "
            "(NaN marks an unknown label)."
        )
    if unknown is not None and unknown.all():
        raise ValueError("Every label of y is unknown (NaN): there is nothing to learn from.")
    Y = _as_uint8(Y, unknown, blocks)
    zeros = np.zeros(Y.shape[1], np.int64)
    positives = sum(((Y[rows] == 1).sum(axis=0) for rows in blocks), zeros)  # observed only
    negatives = sum(((Y[rows] == 0).sum(axis=0) for rows in blocks), zeros)
    constant = [str(c) for c, p, n in zip(classes, positives, negatives) if p == 0 or n == 0]
    if constant and warn_constant:
        warnings.warn(
            f"Label(s) {', '.join(constant[:10])} are constant (all 0 or all 1) in the training "
            "data; the network can only learn to predict that constant for them.",
            UserWarning,
        )
    return Target(Y, "multilabel", classes, has_unknown=unknown is not None)


def _as_uint8(Y, unknown, blocks):
    """``Y`` as uint8, 1 byte a label, UNKNOWN where unknown: ``Y`` itself when it is
    uint8 already, else a 64-byte aligned copy filled block by block (no float or
    Y-sized temporaries), which the backend then shares instead of copying it again."""
    if Y.dtype == np.uint8 and unknown is None:
        return Y
    out = aligned_zeros(Y.shape, np.uint8)
    for rows in blocks:
        out[rows] = Y[rows] if unknown is None else np.where(unknown[rows], UNKNOWN, Y[rows])
    return out


def class_weights(class_weight, target):
    """Per-output weights of positive and negative targets in the loss."""
    ones = np.ones(target.Y.shape[1], dtype=np.float32)
    if class_weight is None:
        return ones, ones
    if not target.is_multilabel:
        return _class_weights_of_classes(class_weight, target, ones)
    if isinstance(class_weight, str):  # "balanced"
        return _balanced_label_weights(target.Y)
    if isinstance(class_weight, dict):
        pos = ones.copy()
        names = list(target.classes)
        for label, weight in class_weight.items():
            if label not in names:
                raise ValueError(f"class_weight names label {label!r}, which is not in {names}.")
            pos[names.index(label)] = weight
    else:
        pos = np.asarray(class_weight, dtype=np.float32)
        if pos.shape != ones.shape:
            raise ValueError(
                f"class_weight has {pos.size} values but the target has {ones.size} labels."
            )
    if not np.all(np.isfinite(pos)) or np.any(pos <= 0):
        raise ValueError(f"class_weight values must be positive and finite, got {pos.tolist()}.")
    return pos.astype(np.float32), ones


def _class_weights_of_classes(class_weight, target, ones):
    """scikit-learn's class weights of a binary (one sigmoid) or multiclass target."""
    if not (isinstance(class_weight, dict) or class_weight == "balanced"):
        raise ValueError(
            "For a binary or multiclass target, class_weight must be 'balanced' or a dict "
            "{class: weight}."
        )
    cw = compute_class_weight(class_weight, classes=target.classes,
                              y=target.classes[target.y1d]).astype(np.float32)
    if target.kind == "binary":
        return cw[1:], cw[:1]
    return cw, ones


def _balanced_label_weights(Y):
    """Each label's positives and negatives weighted by ``n / (2 * count)`` (1 if constant).

    ``n`` and the counts are of the label's observed entries (unknown ones left out).
    """
    positives = (Y == 1).sum(axis=0).astype(np.float64)
    negatives = (Y == 0).sum(axis=0).astype(np.float64)
    n = positives + negatives
    constant = (positives == 0) | (negatives == 0)
    with np.errstate(divide="ignore"):
        pos = np.where(constant, 1.0, n / (2 * positives))
        neg = np.where(constant, 1.0, n / (2 * negatives))
    return pos.astype(np.float32), neg.astype(np.float32)


def validation_split(n_samples, target, validation_fraction, seed):
    """Rows to train on and rows held out (``validation_fraction``, at least one) for early stopping.

    Binary and multiclass targets are split stratified when every class allows it,
    multi-label targets by iterative stratification (``_multilabel_holdout``).
    Returns two index arrays: the data are indexed, never copied whole.
    """
    if n_samples < 2:
        raise ValueError(
            f"early_stopping needs at least 2 samples to hold out a validation set, got "
            f"n_samples = {n_samples}; set early_stopping=False."
        )
    n_val = min(max(1, int(np.ceil(validation_fraction * n_samples))), n_samples - 1)
    if target.is_multilabel:
        return _multilabel_holdout(target.Y == 1, n_val, seed)  # known positives only
    # Stratified when every class allows it. MLPClassifier raises instead when a binary
    # class is too small, but its early stopping is off by default and ours on: raising
    # would refuse every tiny fit.
    counts = np.bincount(target.y1d)
    stratify = None
    if counts.min() >= 2 and min(n_val, n_samples - n_val) >= len(counts):
        stratify = target.y1d
    return train_test_split(np.arange(n_samples), test_size=n_val, random_state=seed,
                            stratify=stratify)


def _multilabel_holdout(Y, n_val, seed):
    """Row indices (train, validation): about ``n_val`` validation rows, stratified by label.

    Iterative stratification (``model_selection``) gives each part its share of every
    label's positives; a label with 2 or more positives then gets at least one in the
    validation part (a row is moved there, if that leaves every label of the row a
    training positive), so that rare labels count in the validation scores and in
    ``threshold="auto"``. Deterministic for a seed.
    """
    Y = np.asarray(Y, dtype=bool)
    n = Y.shape[0]
    rng = np.random.RandomState(seed)
    held = iterative_stratification(Y, 2, rng, sizes=(n - n_val, n_val)) == 1
    totals, held_Y = Y.sum(axis=0), Y[held]  # a copy of the held-out rows only
    train_counts = totals - held_Y.sum(axis=0)
    missing = (totals >= 2) & ~held_Y.any(axis=0)
    del held_Y
    for label in np.flatnonzero(missing)[np.argsort(train_counts[missing], kind="stable")]:
        if Y[held, label].any():  # a row moved for another label brought one
            continue
        rows = np.flatnonzero(Y[:, label] & ~held)
        movable = rows[[np.all(train_counts[Y[r]] >= 2) for r in rows]]
        if movable.size:
            row = rng.choice(movable)
            held[row] = True
            train_counts -= Y[row]
    if held.all() or not held.any():  # keep both parts non-empty
        held[rng.randint(n)] = not held.any()
    return np.flatnonzero(~held), np.flatnonzero(held)


def training_data(X, target, sample_weight, validation_fraction, split_seed):
    """The features as given (dense or CSR, not copied), uint8 targets, and the hold-out.

    ``validation_fraction`` falsy (no early stopping) keeps every sample for training;
    otherwise the training rows are an index into ``X`` and only the held-out rows
    are copied. With unknown labels, each sample's weight is multiplied by its share
    of observed labels: the loss of a row is the mean over its observed labels
    (``_losses.per_row_loss``), so the weighted mean over rows is the mean over all
    observed (sample, label) entries, and a row with every label unknown weighs 0.
    """
    X = input_kind(X).prepare(X)
    Y = target.Y.astype(np.uint8, copy=False)  # 0/1 (one-hot for multiclass), UNKNOWN where unknown
    sample_weight = np.asarray(sample_weight, dtype=np.float32)
    if target.has_unknown:
        sample_weight = (sample_weight * (Y != UNKNOWN).mean(axis=1)).astype(np.float32)
    if not validation_fraction:
        return TrainingData(X, Y, sample_weight, None)
    rows, held_out = validation_split(X.shape[0], target, validation_fraction, split_seed)
    validation = Validation(X[held_out], Y[held_out], sample_weight[held_out])
    return TrainingData(X, Y, sample_weight, validation, rows)
