"""How the estimator fits: validation, encoding, the model, the solver, fitted attributes.

``BaseMultiLabelMLP`` holds the fitting machinery, as scikit-learn's
``BaseMultilayerPerceptron`` does for ``MLPClassifier``; the public class in
``_estimator.py`` adds the parameters, their documentation and the predictions.
"""

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_consistent_length

from ._compat import _fit_context, validate_data
from ._model import KerasModelPickling
from ._thresholds import resolve_thresholds


class BaseMultiLabelMLP(KerasModelPickling, BaseEstimator):
    """Fitting for the multi-label MLP estimators (not public: use the classifier)."""

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
        settings = self._settings(data.X.shape[0], int(seeds[1]), pos_weight, neg_weight, thresholds)
        spec = _training.ModelSpec(architecture.key(keras_model), lambda: architecture.build(0),
                                   architecture.output_activation, self.solver)
        history = _training.train(keras_model, spec, data, settings)
        self._set_fitted(target, thresholds, keras_model, history, warm)
        return self

    def _settings(self, n_train, shuffle_seed, pos_weight, neg_weight, thresholds):
        """The run-time settings of the stochastic solvers, MLPClassifier's meanings."""
        from ._training import Settings

        sgd = self.solver == "sgd"
        return Settings(
            batch_size=min(200, n_train) if self.batch_size == "auto" else min(self.batch_size, n_train),
            max_iter=self.max_iter, shuffle=self.shuffle, shuffle_seed=shuffle_seed,
            learning_rate=self.learning_rate_init, alpha=self.alpha, tol=self.tol,
            n_iter_no_change=self.n_iter_no_change, pos_weight=pos_weight, neg_weight=neg_weight,
            verbose=self.verbose, schedule=self.learning_rate if sgd else "constant",
            power_t=self.power_t, momentum=self.momentum, nesterov=self.nesterovs_momentum,
            beta_1=self.beta_1, beta_2=self.beta_2, epsilon=self.epsilon, thresholds=thresholds,
        )

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
            self.validation_scores_ = history["val_score"]
            self.best_validation_score_ = max(history["val_score"])
        else:
            self.best_loss_ = history["best"]
        if self.model is None:
            weights = keras_model.get_weights()
            self.coefs_, self.intercepts_ = weights[0::2], weights[1::2]
