"""How the estimator fits: validation, encoding, the model, the solver, fitted attributes.

``BaseMultiLabelMLP`` holds the fitting machinery, as scikit-learn's
``BaseMultilayerPerceptron`` does for ``MLPClassifier``; the public class in
``_estimator.py`` adds the parameters, their documentation and the predictions.
"""

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_consistent_length

from ._compat import _fit_context, validate_data
from ._inputs import uses_lazy_update
from ._network import (Architecture, forward_keras, forward_numpy, hidden_sizes, initial_model, member_weights,
                       model_checker)
from ._persistence import KerasModelPickling
from ._random import draw_seeds
from ._targets import class_weights, encode_target, sample_weights, training_data
from ._threshold_search import AUTO_THRESHOLDS, auto_metric, tune_on_validation
from ._thresholds import resolve_thresholds
from ._training import OPTIMIZERS, ModelSpec, Settings, hyper_of, loss_params_of, train, train_lbfgs

STOCHASTIC_SOLVERS = tuple(OPTIMIZERS)  # mini-batch solvers, which can partial_fit


def _uses_a_stochastic_solver(estimator):
    if estimator.solver not in STOCHASTIC_SOLVERS:
        raise AttributeError(f"partial_fit is only available for stochastic solvers, not {estimator.solver!r}")
    return True


class BaseMultiLabelMLP(KerasModelPickling, BaseEstimator):
    """Fitting for the multi-label MLP estimators (not public: use the classifier)."""

    def fit(self, X, y, sample_weight=None):
        """Train the network.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data. Sparse input stays sparse (CSR; CSC is converted once):
            see :ref:`sparse-input`.
        y : array-like, sparse matrix, DataFrame or list of label collections
            A 0/1 indicator matrix (n_samples, n_labels), a pandas DataFrame of 0/1
            columns (their names become ``classes_``), a list of label collections
            such as ``[["cat", "dog"], [], ["dog"]]``, or a 1-D binary or
            multiclass target. In a multi-label indicator matrix or DataFrame, NaN
            (or a missing value) marks an unknown label, left out of the loss.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss.

        Returns
        -------
        self : MultiLabelMLPClassifier
            The fitted estimator.
        """
        return self._fit_or_restore(X, y, sample_weight)

    @available_if(_uses_a_stochastic_solver)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """Train for one epoch over the given data, continuing the previous call.

        As ``MLPClassifier.partial_fit``: the optimizer's state carries over from one
        call to the next. No validation data are held out (``early_stopping``, on
        by default here, applies to :meth:`fit` only): when to stop is the caller's
        choice, as with MLPClassifier.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A chunk of training data.
        y : array-like, sparse matrix, DataFrame or list of label collections
            Its targets, as for :meth:`fit`.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss.
        classes : array-like, default=None
            All the classes (or labels) that any call may see; required on the
            first call for a 1-D target, and must not change afterwards.

        Returns
        -------
        self : MultiLabelMLPClassifier
            The estimator, trained one more epoch.
        """
        return self._fit_or_restore(X, y, sample_weight, incremental=True, classes=classes)

    def _fit_or_restore(self, X, y, sample_weight, **kwargs):
        """``_fit``; on any error (Ctrl-C included) the estimator is left exactly as it was."""
        previous = self.__dict__.copy()
        try:
            return self._fit(X, y, sample_weight, **kwargs)
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(previous)
            raise

    @_fit_context(prefer_skip_nested_validation=True)
    def _fit(self, X, y, sample_weight, incremental=False, classes=None):
        resume = incremental and hasattr(self, "model_")
        self._check_n_networks()
        X = validate_data(
            self, X, accept_sparse=["csr", "csc"], dtype=[np.float64, np.float32], reset=not resume
        )
        target = encode_target(y, classes=self._known_classes(y, classes, incremental, resume))
        self._check_warm_start_classes(target, incremental)
        check_consistent_length(X, target.Y)
        sample_weight = sample_weights(sample_weight, X)
        # "auto" thresholds are tuned after training; the validation score uses 0.5 meanwhile
        fixed = 0.5 if isinstance(self.threshold, str) else self.threshold
        thresholds = resolve_thresholds(fixed, target.n_thresholds)
        pos_weight, neg_weight = class_weights(self.class_weight, target)
        seeds = draw_seeds(self.random_state)

        architecture, keras_model, warm = self._initial_model(X, target, seeds.model, resume)
        holds_out = self.early_stopping and not incremental and self.solver != "lbfgs"
        data = training_data(X, target, sample_weight, holds_out and self.validation_fraction,
                             seeds.split)
        settings = self._settings(data.n_train, seeds.shuffle, pos_weight, neg_weight, thresholds,
                                  target)
        if incremental:
            settings = settings._replace(max_iter=1, incremental=True)
        spec = ModelSpec(architecture.key(keras_model), architecture.training_template,
                         architecture.output_activation, self.solver, self.loss,
                         architecture.build_on_rows, masked=target.has_unknown,
                         lazy=uses_lazy_update(self.sparse_update, X, self.model, settings.batch_size),
                         custom=self.model is not None)
        if self.solver == "lbfgs":
            history = train_lbfgs(keras_model, spec, data, settings, max_fun=self.max_fun)
        else:
            history = train(keras_model, spec, data, settings, self._solver_state if resume and warm else None)
        self._set_fitted(target, keras_model, history, warm)
        self._hold_validation_predictions(data.validation)
        # What partial_fit continues from (as MLPClassifier keeps its _optimizer); the
        # stopping count of an early-stopping fit watched another loss, so it restarts.
        self._solver_state = dict(history.solver_state)
        if data.validation is not None:
            for key in ("best", "no_improvement"):
                self._solver_state.pop(key)
        return self

    def _check_n_networks(self):
        if self.n_networks > 1 and self.model is not None:
            raise ValueError(f"n_networks={self.n_networks} applies to the built-in MLP only; "
                             "a custom `model` is one network (use n_networks=1).")
        if self.n_networks > 1 and self.solver == "lbfgs":
            raise ValueError(f"n_networks={self.n_networks} needs a mini-batch solver "
                             "(adam, sgd or rmsprop), not solver='lbfgs'.")

    def _known_classes(self, y, classes, incremental, resume):
        """The classes ``y`` must be encoded with (``partial_fit``), or None (``fit``)."""
        if not incremental:
            return None
        if resume:
            if classes is not None and not np.array_equal(np.sort(classes), np.sort(self.classes_)):
                raise ValueError(
                    f"`classes={list(classes)!r}` is not the same as on last call to partial_fit, "
                    f"was: {list(self.classes_)!r}"
                )
            return self.classes_
        if classes is None and np.asarray(y, dtype=object).ndim == 1:
            raise ValueError("classes must be passed on the first call to partial_fit.")
        return classes

    def _check_warm_start_classes(self, target, incremental):
        if self.warm_start and not incremental and hasattr(self, "classes_"):
            if not np.array_equal(target.classes, self.classes_):
                raise ValueError(
                    "warm_start can only be used where `y` has the same classes as in the "
                    f"previous call to fit. Previously got {self.classes_}, `y` has {target.classes}"
                )

    def _settings(self, n_train, shuffle_seed, pos_weight, neg_weight, thresholds, target):
        """The run-time settings of the solvers, MLPClassifier's meanings."""
        sgd = self.solver == "sgd"
        params = self.get_params(deep=False)  # the optimizer and the loss read theirs by name
        return Settings(
            batch_size=min(200, n_train) if self.batch_size == "auto" else min(self.batch_size, n_train),
            max_iter=self.max_iter, shuffle=self.shuffle, shuffle_seed=shuffle_seed,
            alpha=self.alpha, tol=self.tol,
            n_iter_no_change=self.n_iter_no_change, pos_weight=pos_weight, neg_weight=neg_weight,
            verbose=self.verbose, schedule=self.learning_rate if sgd else "constant",
            power_t=self.power_t, thresholds=thresholds,
            optimizer=hyper_of(self.solver, params) if self.solver in OPTIMIZERS else None,
            weigh_validation=target.weigh_validation, loss_params=self._loss_params(target, params),
            scoring=self.scoring,
        )

    def _loss_params(self, target, params):
        """The run-time parameters of ``loss`` (sigmoid outputs only)."""
        if target.output_activation == "softmax" and self.loss != "binary_crossentropy":
            raise ValueError(
                f"loss={self.loss!r} applies to sigmoid outputs (multi-label and binary "
                "targets); a multiclass target is trained with categorical cross-entropy."
            )
        return loss_params_of(self.loss, params)

    def _initial_model(self, X, target, seed, resume=False):
        """The architecture and a model with initial (or, warm-started, previous) weights."""
        architecture = Architecture(
            n_features=X.shape[1], n_outputs=target.Y.shape[1],
            output_activation=target.output_activation,
            hidden_layer_sizes=hidden_sizes(self.hidden_layer_sizes), activation=self.activation,
            dropout=self.dropout, custom=self.model, n_networks=self.n_networks,
        )
        continues = (self.warm_start or resume) and hasattr(self, "model_")
        previous = self.model_ if continues else None
        check = None
        if self.model is not None:
            check = model_checker(self, architecture, X, target.is_multilabel, seed)
        return (architecture, *initial_model(architecture, seed, previous, check))

    def _set_fitted(self, target, keras_model, history, warm):
        previous_curve = list(self.loss_curve_) if warm else []
        previous_val_curve = list(getattr(self, "validation_loss_curve_", None) or []) if warm else []
        self.classes_ = target.classes
        self.n_outputs_ = target.Y.shape[1]
        self.out_activation_ = "logistic" if target.output_activation == "sigmoid" else "softmax"
        self._target_kind = target.kind
        self.model_ = keras_model
        self.history_ = {"loss": history.loss}
        self.loss_curve_ = previous_curve + history.loss
        # lbfgs: its final objective (the curve is empty after 0 iterations)
        self.loss_ = self.loss_curve_[-1] if history.loss else history.best_loss
        self.n_iter_ = history.n_iter
        self._no_improvement_count = history.no_improvement
        if history.validation_loss is not None:
            self.history_["val_loss"] = history.validation_loss
            self.best_loss_ = None
            self.validation_loss_curve_ = previous_val_curve + history.validation_loss
            self.best_validation_loss_ = history.best_validation_loss
            self.validation_scores_ = history.validation_score
            self.best_validation_score_ = max(history.validation_score)
        else:
            self.best_loss_ = history.best_loss
            self.validation_loss_curve_ = self.best_validation_loss_ = None
            self.validation_scores_ = self.best_validation_score_ = None
        if self.model is None:
            weights = keras_model.get_weights()
            self.coefs_, self.intercepts_ = weights[0::2], weights[1::2]
            if self.n_networks > 1:  # a leading members axis (see ``_ensemble``)
                self.coefs_, self.intercepts_ = member_weights(weights, self.n_networks)

    def _hold_validation_predictions(self, validation):
        """Keep the restored model's probabilities on the early-stopping split, for
        ``threshold="auto"`` (tuned now, and again if ``threshold`` or ``scoring`` change)."""
        self._validation_proba = self._validation_Y = self._auto_thresholds = None
        if validation is None or self._target_kind != "multilabel":
            return
        X_val, Y_val = validation.X, validation.Y
        if self.model is not None:
            proba = forward_keras(self.model_, X_val)
        else:
            proba = forward_numpy(X_val, self.coefs_, self.intercepts_, self.activation, self.out_activation_)
        self._validation_proba, self._validation_Y = proba.astype(np.float32), Y_val.astype(np.uint8)
        if isinstance(self.threshold, str) and self.threshold in AUTO_THRESHOLDS:
            key = (self.threshold, auto_metric(self.scoring))
            self._auto_thresholds = key, tune_on_validation(*key, proba, Y_val)
