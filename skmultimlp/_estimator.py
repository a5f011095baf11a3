"""The estimator: parameters, validation and orchestration."""

from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_consistent_length, check_is_fitted

from ._compat import Interval, StrOptions, _fit_context, validate_data
from ._model import NUMPY_ACTIVATIONS, KerasModelPickling
from ._optimizers import OPTIMIZERS
from ._thresholds import apply_thresholds, resolve_thresholds


class MultiLabelMLPClassifier(ClassifierMixin, KerasModelPickling, BaseEstimator):
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
        L2 penalty on the kernels, ``0.5 * alpha * ||W||^2 / batch_size`` as in
        MLPClassifier, divided by ``n_labels`` because the loss is Keras' mean
        cross-entropy over the labels where MLPClassifier sums it: ``alpha``
        means MLPClassifier's for any number of labels.
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
        stops improving, and restore the best epoch's weights. With ``False``,
        ``tol`` watches the training loss.
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
        ``keras.Model`` ending in ``output_activation``, with initializers seeded
        from ``seed``; ``hidden_layer_sizes``, ``activation`` and ``dropout`` are
        then not used. Breaches of this contract raise or warn at ``fit`` (see
        "Custom models" in the user guide).

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
        "activation": [StrOptions(set(NUMPY_ACTIVATIONS))],
        "optimizer": [StrOptions(set(OPTIMIZERS))],
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
        previous = self.__dict__.copy()
        try:
            return self._fit(X, y, sample_weight)
        except BaseException:  # leave a previously fitted estimator exactly as it was
            self.__dict__.clear()
            self.__dict__.update(previous)
            raise

    @_fit_context(prefer_skip_nested_validation=True)
    def _fit(self, X, y, sample_weight):
        from . import _training
        from ._targets import class_weights, encode_target, sample_weights, training_data

        X = validate_data(
            self, X, accept_sparse=["csr", "csc"], dtype=[np.float64, np.float32], reset=True
        )
        target = encode_target(y)
        check_consistent_length(X, target.Y)
        sample_weight = sample_weights(sample_weight, X)
        thresholds = resolve_thresholds(self.threshold, 1 if target.kind == "binary" else target.Y.shape[1])
        pos_weight, neg_weight = class_weights(self.class_weight, target)
        seeds = _training.draw_seeds(self.random_state)

        architecture, keras_model, warm = self._initial_model(X, target, int(seeds[0]))
        data = training_data(X, target, sample_weight, self.early_stopping and self.validation_fraction,
                             int(seeds[2]))
        n_train = data.X.shape[0]
        settings = _training.Settings(
            batch_size=min(200, n_train) if self.batch_size == "auto" else min(self.batch_size, n_train),
            max_iter=self.max_iter, shuffle=self.shuffle, shuffle_seed=int(seeds[1]),
            learning_rate=self.learning_rate_init, alpha=self.alpha, tol=self.tol,
            n_iter_no_change=self.n_iter_no_change, pos_weight=pos_weight, neg_weight=neg_weight,
            verbose=self.verbose,
        )
        spec = _training.ModelSpec(architecture.key(keras_model), lambda: architecture.build(0),
                                   architecture.output_activation, self.optimizer)
        history = _training.train(keras_model, spec, data, settings)
        self._set_fitted(target, thresholds, keras_model, history, warm)
        return self

    def _initial_model(self, X, target, seed):
        """The architecture and a model with initial (or, warm-started, previous) weights."""
        from ._model import Architecture, hidden_sizes, initial_model

        architecture = Architecture(
            n_features=X.shape[1], n_outputs=target.Y.shape[1],
            output_activation="softmax" if target.kind == "multiclass" else "sigmoid",
            hidden_layer_sizes=hidden_sizes(self.hidden_layer_sizes), activation=self.activation,
            dropout=self.dropout, custom=self.model,
        )
        previous = self.model_ if self.warm_start and hasattr(self, "model_") else None
        check = None
        if self.model is not None:
            from ._custom_model import model_checker

            check = model_checker(self, architecture, X, target.kind == "multilabel", seed)
        return (architecture, *initial_model(architecture, seed, previous, check))

    def _set_fitted(self, target, thresholds, keras_model, history, warm):
        previous_curve = list(self.loss_curve_) if warm else []
        self.classes_ = target.classes
        self.n_outputs_ = target.Y.shape[1]
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

    def _forward(self, X):
        from ._model import forward_keras, forward_numpy

        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], dtype=[np.float64, np.float32],
                          reset=False)
        X = X.toarray() if sp.issparse(X) else X
        X = np.asarray(X, dtype=np.float32)
        if self.model is not None:
            return forward_keras(self.model_, X)
        return forward_numpy(X, self.coefs_, self.intercepts_, self.activation, self.out_activation_)

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

