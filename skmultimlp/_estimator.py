"""The estimator: parameters, validation and orchestration."""

import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from scipy.special import expit, softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.utils import check_random_state
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets, type_of_target, unique_labels
from sklearn.utils.validation import _check_sample_weight, check_consistent_length, check_is_fitted

from ._compat import Interval, StrOptions, _fit_context, validate_data
from ._thresholds import apply_thresholds, resolve_thresholds

_NUMPY_ACTIVATIONS = {
    "identity": lambda z: z,
    "logistic": expit,
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0),
}


class MultiLabelMLPClassifier(ClassifierMixin, BaseEstimator):
    """Multi-layer perceptron for multi-label classification, trained with Keras 3.

    Dense hidden layers, one sigmoid output per label and binary cross-entropy
    (softmax and categorical cross-entropy for a 1-D multiclass target), trained
    with Adam by a compiled Keras loop. Parameter names follow
    :class:`sklearn.neural_network.MLPClassifier` where the concept is the same.

    Parameters
    ----------
    hidden_layer_sizes : array-like of int, default=(50,)
        Units of each hidden ``Dense`` layer. The defaults of this and of
        ``alpha``, ``learning_rate_init`` and ``n_iter_no_change`` were chosen
        by cross-validation on four benchmark datasets (see the benchmarks page
        of the documentation).
    activation : {"identity", "logistic", "tanh", "relu"}, default="relu"
        Activation of the hidden layers (MLPClassifier's names).
    optimizer : {"adam", "sgd", "rmsprop"}, default="adam"
        Update rule, with Keras' default constants (``"sgd"`` uses Nesterov
        momentum 0.9, as MLPClassifier's ``solver="sgd"``).
    alpha : float, default=0.1
        Strength of the L2 penalty on the kernels, scaled as in MLPClassifier
        (``0.5 * alpha * ||W||^2 / batch_size``). The loss is Keras' mean binary
        cross-entropy over the labels where MLPClassifier sums it, so the penalty
        is divided by the number of labels too: the objective is MLPClassifier's
        divided by ``n_labels``, and ``alpha`` means the same for any number of
        labels.
    batch_size : int or "auto", default=32
        Samples per gradient step (32 is Keras' default); ``"auto"`` is
        MLPClassifier's ``min(200, n_samples)``. The last, smaller batch of an
        epoch is kept.
    learning_rate_init : float, default=3e-3
        Learning rate of the optimizer.
    max_iter : int, default=200
        Maximum number of epochs.
    shuffle : bool, default=True
        Whether to shuffle the samples before each epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the weights, dropout, shuffling and validation split. An int gives
        identical results on every fit (on the CPU). Global random state is never
        read or changed.
    tol : float, default=1e-4
        Training stops when the loss (validation loss with ``early_stopping``)
        has not improved by at least ``tol`` for ``n_iter_no_change`` epochs.
    verbose : int or bool, default=0
        Print the loss of each epoch.
    warm_start : bool, default=False
        Start from the weights of the previous fit (same architecture) instead of
        a new initialization.
    early_stopping : bool, default=True
        Hold out ``validation_fraction`` of the training data, stop when its loss
        stops improving, and restore the weights of the best epoch. With
        ``False``, all the data are used for training and ``tol`` watches the
        training loss.
    validation_fraction : float, default=0.1
        Share of the training data held out for early stopping.
    n_iter_no_change : int, default=50
        Epochs without improvement before training stops.
    dropout : float, default=0.0
        Dropout rate after each hidden layer.
    threshold : float or array-like of shape (n_labels,), default=0.5
        Probability from which :meth:`predict` assigns a label; one value per
        label is allowed. Not used for a multiclass target (argmax).
    class_weight : None, "balanced", dict or array-like, default=None
        For multi-label targets, the weight of each label's positive examples:
        ``"balanced"`` weighs positives and negatives of each label by
        ``n_samples / (2 * count)`` (helps rare labels); a dict maps label names
        (or column indices) to positive weights; an array gives one per label.
        For binary and multiclass targets, scikit-learn's usual meaning.
    model : callable or None, default=None
        Custom architecture: called as ``model(n_features=..., n_outputs=...,
        output_activation=..., seed=...)`` it returns an uncompiled
        ``keras.Model`` mapping features to probabilities. ``hidden_layer_sizes``,
        ``activation`` and ``dropout`` are then not used.

    Attributes
    ----------
    classes_ : ndarray
        Label names (multi-label: column indices unless names were given),
        or the classes of a binary / multiclass target.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features, when X has string column names.
    n_outputs_ : int
        Units of the output layer.
    out_activation_ : str
        ``"logistic"`` or ``"softmax"``.
    thresholds_ : ndarray of shape (`n_outputs_`,)
        Thresholds used by :meth:`predict`.
    model_ : keras.Model
        The trained network, usable on its own (``model_.predict``).
    history_ : dict
        ``"loss"`` and, with early stopping, ``"val_loss"``: one value per epoch.
    loss_ : float
        Training loss of the last epoch.
    loss_curve_ : list of float
        Training loss of each epoch (mean over the labels, penalty included).
    best_loss_ : float or None
        Lowest training loss (None with early stopping).
    validation_loss_curve_ : list of float
        Validation loss of each epoch (early stopping only).
    best_validation_loss_ : float
        Lowest validation loss, whose weights were restored (early stopping only).
    n_iter_ : int
        Epochs run.
    coefs_, intercepts_ : list of ndarray
        Weights of each ``Dense`` layer (built-in architecture only).

    See Also
    --------
    sklearn.neural_network.MLPClassifier : The NumPy multi-layer perceptron.

    Examples
    --------
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from skmultimlp import MultiLabelMLPClassifier
    >>> X, Y = make_multilabel_classification(200, 10, n_classes=3, random_state=0)
    >>> clf = MultiLabelMLPClassifier((20,), max_iter=50, random_state=0).fit(X, Y)
    >>> clf.predict(X[:2]).shape
    (2, 3)
    >>> clf.predict_proba(X[:2]).shape
    (2, 3)
    """

    _parameter_constraints = {
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(_NUMPY_ACTIVATIONS))],
        "optimizer": [StrOptions({"adam", "sgd", "rmsprop"})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "threshold": [Interval(Real, 0, 1, closed="both"), "array-like"],
        "class_weight": [None, StrOptions({"balanced"}), dict, "array-like"],
        "model": [None, callable],
    }

    def __init__(
        self,
        hidden_layer_sizes=(50,),
        activation="relu",
        *,
        optimizer="adam",
        alpha=0.1,
        batch_size=32,
        learning_rate_init=3e-3,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=0,
        warm_start=False,
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change=50,
        dropout=0.0,
        threshold=0.5,
        class_weight=None,
        model=None,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.optimizer = optimizer
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.dropout = dropout
        self.threshold = threshold
        self.class_weight = class_weight
        self.model = model

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        tags.target_tags.multi_output = True
        tags.input_tags.sparse = True
        return tags

    # ------------------------------------------------------------------ fit
    def fit(self, X, y, sample_weight=None):
        """Train the network.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; sparse input is densified once, as float32.
        y : array-like, sparse matrix, DataFrame or list of label collections
            A 0/1 indicator matrix (n_samples, n_labels), a pandas DataFrame of 0/1
            columns (their names become ``classes_``), a list of label collections
            such as ``[["cat", "dog"], [], ["dog"]]``, or a 1-D binary or
            multiclass target.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss.

        Returns
        -------
        self : MultiLabelMLPClassifier
            The fitted estimator.
        """
        from ._training import preserved_global_state

        previous = self.__dict__.copy()
        try:
            with preserved_global_state():
                return self._fit(X, y, sample_weight)
        except BaseException:
            # Leave a previously fitted estimator exactly as it was.
            self.__dict__.clear()
            self.__dict__.update(previous)
            raise

    @_fit_context(prefer_skip_nested_validation=True)
    def _fit(self, X, y, sample_weight):
        from . import _model, _training

        X = validate_data(
            self, X, accept_sparse=["csr", "csc"], dtype=[np.float64, np.float32], reset=True
        )
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None.")
        target = _encode_target(y)
        check_consistent_length(X, target.Y)
        sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float32)
        n_samples, n_features = X.shape
        n_outputs = target.Y.shape[1]
        thresholds = resolve_thresholds(self.threshold, 1 if target.kind == "binary" else n_outputs)
        pos_weight, neg_weight = _class_weights(self.class_weight, target)
        seeds = _draw_seeds(self.random_state)

        output_activation = "softmax" if target.kind == "multiclass" else "sigmoid"
        hidden = _hidden_sizes(self.hidden_layer_sizes)
        if self.model is None:
            model_key = ("mlp", n_features, hidden, self.activation, float(self.dropout), n_outputs,
                         output_activation)

            def build(seed):
                return _model.build_mlp(n_features, hidden, self.activation, self.dropout, n_outputs,
                                        output_activation, seed)
        else:
            def build(seed):
                return self.model(n_features=n_features, n_outputs=n_outputs,
                                  output_activation=output_activation, seed=seed)

            model_key = None

        keras_model = build(int(seeds[0]))
        if self.model is not None:
            _check_custom_model(keras_model, n_features, n_outputs)
            model_key = ("custom", _model.architecture_key(keras_model))
        warm = self.warm_start and hasattr(self, "model_") and self._same_architecture(keras_model)
        if warm:
            keras_model.set_weights(self.model_.get_weights())

        X = X.toarray() if sp.issparse(X) else X
        X = np.asarray(X, dtype=np.float32)
        Y = target.Y.astype(np.uint8)  # 0/1 (one-hot for multiclass)
        validation = None
        if self.early_stopping:
            X, Y, sample_weight, validation = _validation_split(
                X, Y, sample_weight, target, self.validation_fraction, int(seeds[2])
            )
        batch_size = min(200, len(X)) if self.batch_size == "auto" else min(self.batch_size, len(X))

        history = _training.train(
            keras_model, model_key, lambda: build(0), output_activation, self.optimizer,
            X, Y, sample_weight, validation,
            batch_size=batch_size, max_iter=self.max_iter, shuffle=self.shuffle,
            shuffle_seed=int(seeds[1]), learning_rate=self.learning_rate_init, alpha=self.alpha,
            tol=self.tol, n_iter_no_change=self.n_iter_no_change,
            pos_weight=pos_weight, neg_weight=neg_weight, verbose=self.verbose,
        )
        if not history["stopped"]:
            warnings.warn(
                f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) reached and the "
                "optimization hasn't converged yet.",
                ConvergenceWarning,
            )
        if not np.all(np.isfinite(history["loss"])):
            raise ValueError(
                "Training diverged (the loss is not finite); lower learning_rate_init or scale X."
            )

        previous_curve = list(self.loss_curve_) if warm else []
        self.classes_ = target.classes
        self.n_outputs_ = n_outputs
        self.out_activation_ = "softmax" if target.kind == "multiclass" else "logistic"
        self._target_kind = target.kind
        self.thresholds_ = thresholds
        self.model_ = keras_model
        self.history_ = {k: history[k] for k in ("loss", "val_loss") if k in history}
        self.loss_curve_ = previous_curve + history["loss"]
        self.loss_ = self.loss_curve_[-1]
        self.n_iter_ = history["n_iter"]
        if self.early_stopping:
            self.best_loss_ = None
            self.validation_loss_curve_ = history["val_loss"]
            self.best_validation_loss_ = history["best"]
        else:
            self.best_loss_ = history["best"]
        if self.model is None:
            weights = keras_model.get_weights()
            self.coefs_, self.intercepts_ = weights[0::2], weights[1::2]
        return self

    def __getstate__(self):
        # The Keras model travels as its JSON config and weights: loading that needs
        # no file I/O (Keras' own pickling imports TensorFlow under every backend).
        from ._training import preserved_global_state

        state = super().__getstate__()
        if "model_" in state:
            model = state.pop("model_")
            with preserved_global_state():  # to_json imports TensorFlow's JSON helpers
                state["_model_json"], state["_model_weights"] = model.to_json(), model.get_weights()
        return state

    def __setstate__(self, state):
        state = dict(state)
        json, weights = state.pop("_model_json", None), state.pop("_model_weights", None)
        super().__setstate__(state)
        if json is not None:
            from ._training import preserved_global_state

            with preserved_global_state():
                import keras

                self.model_ = keras.models.model_from_json(json)
                self.model_.set_weights(weights)

    def _same_architecture(self, keras_model):
        shapes = [tuple(w.shape) for w in keras_model.weights]
        return shapes == [tuple(w.shape) for w in self.model_.weights]

    # -------------------------------------------------------------- predict
    def _forward(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], dtype=[np.float64, np.float32],
                          reset=False)
        X = X.toarray() if sp.issparse(X) else X
        X = np.asarray(X, dtype=np.float32)
        if self.model is not None:
            from keras import ops

            return np.concatenate(
                [ops.convert_to_numpy(self.model_(X[i : i + 8192], training=False))
                 for i in range(0, len(X), 8192)]
            )
        act = _NUMPY_ACTIVATIONS[self.activation]
        for W, b in zip(self.coefs_[:-1], self.intercepts_[:-1]):
            X = act(X @ W + b)
        Z = X @ self.coefs_[-1] + self.intercepts_[-1]
        return softmax(Z, axis=1) if self.out_activation_ == "softmax" else expit(Z)

    def predict_proba(self, X):
        """Probability of each label (multi-label) or class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_labels) or (n_samples, n_classes)
            For a multi-label target, column ``j`` is the probability that label
            ``classes_[j]`` applies (columns need not sum to one). For a binary
            target, two columns ``1 - p`` and ``p``.
        """
        p = self._forward(X)
        if self._target_kind == "binary":
            return np.hstack([1 - p, p])
        return p

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray
            Same shape as :meth:`predict_proba`.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Predicted labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y : ndarray
            A 0/1 indicator matrix of shape (n_samples, n_labels) for a
            multi-label target (``predict_proba >= thresholds_``); class labels of
            shape (n_samples,) for a binary or multiclass target.
        """
        p = self._forward(X)
        if self._target_kind == "multilabel":
            return apply_thresholds(p, self.thresholds_)
        if self._target_kind == "binary":
            return self.classes_[apply_thresholds(p[:, 0], self.thresholds_[0])]
        return self.classes_[np.argmax(p, axis=1)]

    def predict_label_sets(self, X):
        """Predicted labels of each sample as a tuple of label names.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        label_sets : list of tuple
            For each sample, the ``classes_`` whose probability reaches its
            threshold, e.g. ``[("cat", "dog"), (), ("dog",)]``.
        """
        check_is_fitted(self)
        if self._target_kind != "multilabel":
            raise ValueError("predict_label_sets is for multi-label targets; use predict.")
        return [tuple(self.classes_[np.flatnonzero(row)]) for row in self.predict(X)]


class _Target:
    """An encoded target: Y (n_samples, n_outputs) of 0/1, its kind and classes."""

    def __init__(self, Y, kind, classes, y1d=None):
        self.Y, self.kind, self.classes, self.y1d = Y, kind, classes, y1d


def _is_label_sets(y):
    """True for a list of label collections such as ``[["a", "b"], [], ["b"]]``."""
    if not isinstance(y, (list, tuple)) or len(y) == 0:
        return False
    if not all(isinstance(s, (list, tuple, set, frozenset)) for s in y):
        return False
    if any(isinstance(s, (set, frozenset)) for s in y):
        return True
    lengths = {len(s) for s in y}
    flat = [v for s in y for v in s]
    return len(lengths) > 1 or any(not isinstance(v, (Integral, Real)) for v in flat)


def _encode_target(y):
    if _is_label_sets(y):
        binarizer = MultiLabelBinarizer()
        Y = binarizer.fit_transform(y)
        return _check_multilabel(Y, np.asarray(binarizer.classes_, dtype=object))
    if hasattr(y, "columns") and hasattr(y, "to_numpy"):  # pandas DataFrame
        Y = y.to_numpy()
        if not np.issubdtype(Y.dtype, np.number) and Y.dtype != bool:
            raise ValueError("A DataFrame target must hold 0/1 columns, one per label.")
        return _check_multilabel(Y, np.asarray(y.columns, dtype=object))
    if sp.issparse(y):
        y = y.toarray()
    y = np.asarray(y) if not hasattr(y, "dtype") else y
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        if y.dtype.kind not in "biuf":
            raise ValueError(
                f"A 2-D target must be a 0/1 indicator matrix, got dtype {y.dtype}."
            )
        return _check_multilabel(y, np.arange(y.shape[1]))
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D or a 2-D indicator matrix, got shape {y.shape}.")
    if y.shape[0] == 0:
        raise ValueError("y is empty: found 0 samples.")
    check_classification_targets(y)
    classes = unique_labels(y)
    if len(classes) < 2:
        raise ValueError(
            f"y has only one class ({classes[0]!r}); a classifier needs at least two classes."
        )
    codes = np.searchsorted(classes, y)
    if len(classes) == 2:
        return _Target(codes.reshape(-1, 1).astype(np.float32), "binary", classes, codes)
    return _Target(np.eye(len(classes), dtype=np.float32)[codes], "multiclass", classes, codes)


def _check_multilabel(Y, classes):
    Y = np.asarray(Y)
    if Y.ndim != 2 or Y.shape[1] < 1:
        raise ValueError(f"A multi-label target must be 2-D with one column per label, got {Y.shape}.")
    if not np.all((Y == 0) | (Y == 1)):  # also rejects NaN and inf, without a float copy
        bad = np.unique(Y[~((Y == 0) | (Y == 1))])[:5]
        raise ValueError(
            f"A multi-label target must contain only 0 and 1; found {bad.tolist()}."
        )
    constant = [str(c) for c, col in zip(classes, Y.T) if col.min() == col.max()]
    if constant:
        warnings.warn(
            f"Label(s) {', '.join(constant[:10])} are constant (all 0 or all 1) in the training "
            "data; the network can only learn to predict that constant for them.",
            UserWarning,
        )
    return _Target(Y, "multilabel", classes)


def _class_weights(class_weight, target):
    """Per-output weights of positive and negative targets in the loss."""
    n_outputs = target.Y.shape[1]
    ones = np.ones(n_outputs, dtype=np.float32)
    if class_weight is None:
        return ones, ones
    if target.kind != "multilabel":
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
    Y = target.Y
    if isinstance(class_weight, str):  # "balanced"
        n = Y.shape[0]
        positives = Y.sum(axis=0).astype(np.float64)
        negatives = n - positives
        constant = (positives == 0) | (negatives == 0)
        with np.errstate(divide="ignore"):
            pos = np.where(constant, 1.0, n / (2 * positives))
            neg = np.where(constant, 1.0, n / (2 * negatives))
        return pos.astype(np.float32), neg.astype(np.float32)
    if isinstance(class_weight, dict):
        pos = ones.copy()
        names = list(target.classes)
        for label, weight in class_weight.items():
            if label in names:
                pos[names.index(label)] = weight
            else:
                raise ValueError(f"class_weight names label {label!r}, which is not in {names}.")
    else:
        pos = np.asarray(class_weight, dtype=np.float32)
        if pos.shape != (n_outputs,):
            raise ValueError(
                f"class_weight has {pos.size} values but the target has {n_outputs} labels."
            )
    if not np.all(np.isfinite(pos)) or np.any(pos <= 0):
        raise ValueError(f"class_weight values must be positive and finite, got {pos.tolist()}.")
    return pos.astype(np.float32), ones


def _validation_split(X, Y, sample_weight, target, validation_fraction, seed):
    """Hold out ``validation_fraction`` of the samples (at least one) for early stopping.

    Binary and multiclass targets are split stratified (as MLPClassifier does)
    when every class has enough samples for it.
    """
    n_samples = X.shape[0]
    if n_samples < 2:
        raise ValueError(
            f"early_stopping needs at least 2 samples to hold out a validation set, got "
            f"n_samples = {n_samples}; set early_stopping=False."
        )
    n_val = min(max(1, int(np.ceil(validation_fraction * n_samples))), n_samples - 1)
    stratify = None
    if target.kind != "multilabel":
        counts = np.bincount(target.y1d)
        if counts.min() >= 2 and min(n_val, n_samples - n_val) >= len(counts):
            stratify = target.y1d
    X, Xv, Y, Yv, sample_weight, Wv = train_test_split(
        X, Y, sample_weight, test_size=n_val, random_state=seed, stratify=stratify
    )
    return X, Y, sample_weight, (Xv, Yv, Wv)


def _hidden_sizes(hidden_layer_sizes):
    if isinstance(hidden_layer_sizes, Integral):
        sizes = (int(hidden_layer_sizes),)
    else:
        sizes = tuple(hidden_layer_sizes)
    if not all(isinstance(s, Integral) and s > 0 for s in sizes):
        raise ValueError(f"hidden_layer_sizes must be positive integers, got {hidden_layer_sizes!r}.")
    return tuple(int(s) for s in sizes)


def _draw_seeds(random_state):
    """Three independent integer seeds: model (weights and dropout), shuffling, validation split.

    ``None`` draws fresh entropy without touching NumPy's global generator.
    """
    if random_state is None:
        return np.random.default_rng().integers(0, 2**31 - 1, size=3)
    return check_random_state(random_state).randint(0, 2**31 - 1, size=3)


def _check_custom_model(model, n_features, n_outputs):
    import keras

    if not isinstance(model, keras.Model):
        raise ValueError(f"The model callable must return a keras.Model, got {type(model).__name__}.")
    shape = tuple(model.compute_output_spec(keras.KerasTensor((2, n_features))).shape)
    if shape != (2, n_outputs):
        raise ValueError(
            f"The model returned by the model callable outputs shape {shape[1:]} for "
            f"{n_features} features; expected ({n_outputs},)."
        )
