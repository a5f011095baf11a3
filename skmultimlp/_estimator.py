"""The estimator: parameters, validation and orchestration."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import ClassifierMixin

from ._compat import Interval, Options, StrOptions
from ._fit import BaseMultiLabelMLP
from ._network import NUMPY_ACTIVATIONS
from ._prediction import PredictionMixin
from ._threshold_search import AUTO_THRESHOLDS
from ._training import OPTIMIZERS, SCHEDULES, SCORINGS, SIGMOID_LOSSES


class MultiLabelMLPClassifier(ClassifierMixin, PredictionMixin, BaseMultiLabelMLP):
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
    solver : {"adam", "sgd", "lbfgs", "rmsprop"}, default="adam"
        MLPClassifier's solvers: ``"adam"``, ``"sgd"`` (with its ``learning_rate``
        schedules, ``momentum`` and ``nesterovs_momentum``) and ``"lbfgs"``
        (full-batch L-BFGS-B by SciPy on the same objective, computed in float64;
        ``batch_size``, ``early_stopping`` and the learning-rate parameters do
        not apply to it), plus Keras' ``"rmsprop"`` (rho 0.9, epsilon 1e-7).
    alpha : float, default=0.1
        L2 penalty on the kernels, ``0.5 * alpha * ||W||^2 / batch_size`` as in
        MLPClassifier, divided by ``n_labels`` because the loss is Keras' mean
        cross-entropy over the labels where MLPClassifier sums it: ``alpha``
        means MLPClassifier's for any number of labels.
    batch_size : int or "auto", default=32
        Samples per gradient step (32 is Keras' default); ``"auto"`` is
        MLPClassifier's ``min(200, n_samples)``. The last, smaller batch of an
        epoch is kept.
    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Schedule of the learning rate, ``solver="sgd"`` only, as in MLPClassifier:
        ``"invscaling"`` divides it by ``(samples_seen + 1) ** power_t`` after each
        epoch; ``"adaptive"`` divides it by 5 each time the stopping rule fires,
        and stops once it is at most 1e-6.
    learning_rate_init : float, default=3e-3
        Initial learning rate.
    power_t : float, default=0.5
        Exponent of the ``"invscaling"`` schedule.
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
        Print the loss of each epoch as it ends (and, with ``early_stopping``,
        the validation loss and score). Runs one epoch per compiled call.
    warm_start : bool, default=False
        Start from the weights of the previous fit (same architecture) instead of
        a new initialization.
    momentum : float, default=0.9
        Momentum of ``solver="sgd"``, between 0 and 1.
    nesterovs_momentum : bool, default=True
        Whether ``solver="sgd"`` uses Nesterov's momentum.
    early_stopping : bool, default=True
        Hold out ``validation_fraction`` of the training data, stop when its loss
        (or ``scoring``) stops improving, and restore the best epoch's weights.
        A multi-label split is stratified by label (iterative stratification),
        with at least one positive of each label that has two. With ``False``,
        ``tol`` watches the training loss.
    validation_fraction : float, default=0.1
        Share of the training data held out for early stopping.
    beta_1, beta_2 : float, default=0.9, 0.999
        Decay rates of Adam's first and second moment estimates, in [0, 1).
    epsilon : float, default=1e-8
        Adam's numerical stability term.
    sparse_update : {"auto", "lazy", "dense"}, default="auto"
        How a mini-batch step updates the first-layer kernel when ``X`` is sparse
        (dense ``X`` always takes the dense update). ``"dense"``: every row of it and
        its optimizer state at every step, as MLPClassifier. ``"lazy"``: only the
        rows of the columns present in the batch, with the global step count
        (TF-Addons' LazyAdam, PyTorch's SparseAdam), so a step costs in proportion
        to ``batch_size`` times the longest row, not to the number of columns; a
        column absent from a batch keeps its weights and optimizer state, and the
        L2 penalty reaches a column only in the batches it appears in.
        ``"auto"``: lazy when the first layer has more than 10 times as many rows
        as a batch can touch (``n_features > 10 * batch_size * longest_row``),
        where it is the faster one, else dense. Only the built-in network on
        TensorFlow or JAX updates lazily; a custom ``model``, PyTorch and
        ``solver="lbfgs"`` use the dense update. See "Sparse features and large
        data" in the user guide.
    n_iter_no_change : int or np.inf, default=50
        Epochs without improvement before training stops (``np.inf``: never).
    scoring : {"loss", "f1_micro", "f1_macro", "f1_samples", "accuracy"}, default="loss"
        What early stopping watches on the validation split (as in
        ``HistGradientBoostingClassifier``): its binary cross-entropy, or a metric of
        ``predict`` on it (higher is better; ``"accuracy"`` is subset accuracy; F1
        with ``zero_division=0``), computed each epoch inside the compiled loop, at
        the fixed ``threshold`` (0.5 when it is ``"auto"``). The best epoch by it is
        restored and ``validation_scores_`` records it. A scorer callable is not
        accepted: it would need a return to Python after every epoch. Also the
        metric of ``threshold="auto"`` when an F1 average. Used only with
        ``early_stopping``.
    max_fun : int, default=15000
        ``solver="lbfgs"`` only: maximum number of objective evaluations.
    dropout : float, default=0.0
        Dropout rate after each hidden layer.
    threshold : float, array-like of shape (n_labels,), "auto" or "auto_per_label", default=0.5
        Probability from which :meth:`predict` assigns a label; one value per
        label is allowed. ``"auto"`` tunes one threshold for all labels on the
        early-stopping validation split after training (restored weights, no
        extra fit), maximising ``scoring`` if it is an F1 average, else F1-micro;
        ``"auto_per_label"`` then moves each label's threshold toward its own best
        and shrinks it back by ``n_pos / (n_pos + 10)``, as
        :class:`MultiLabelTunedThresholdClassifierCV` does. Without a validation
        split (``early_stopping=False``, ``solver="lbfgs"``, ``partial_fit``) and
        for binary targets "auto" means 0.5. Like any threshold it takes effect at
        predict time. Not used for a multiclass target (argmax).
    loss : {"binary_crossentropy", "focal", "asymmetric"}, default="binary_crossentropy"
        Loss of the sigmoid outputs (multi-label and binary targets; a multiclass
        target always uses categorical cross-entropy): Keras' binary focal
        cross-entropy (Lin et al. 2017) or the asymmetric loss of Ridnik et al.
        (2021), both of which down-weight easy examples (see the loss table in the
        user guide). Their parameters are run-time values: a grid over them does not
        recompile.
    focal_gamma : float, default=2.0
        Focusing parameter of ``loss="focal"``.
    focal_alpha : float or None, default=None
        ``loss="focal"``: weight of the positives (negatives: ``1 - focal_alpha``);
        None applies no such balancing (Keras' default).
    asymmetric_gamma_pos, asymmetric_gamma_neg : float, default=0.0, 4.0
        Focusing of positive and negative targets of ``loss="asymmetric"``.
    asymmetric_clip : float, default=0.05
        ``loss="asymmetric"``: probability margin subtracted for negative targets.
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
    n_networks : int, default=1
        Train that many networks of the built-in architecture at once, from
        independent initial weights, and average their probabilities. They run
        as one Keras model in one compiled loop (a ``Dense`` of ``n_networks``
        times the units, then batched matrix products), so on a CPU ``K``
        members cost much less than ``K`` fits. Each member gets the gradient a
        lone fit would (same mini-batches, same ``alpha``); early stopping
        watches the averaged prediction. Not for a custom ``model`` nor
        ``solver="lbfgs"``. See "Averaged ensembles" in the user guide for
        what it gains and costs.

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
        Thresholds used by :meth:`predict`, from the current ``threshold``: as in
        scikit-learn's ``FixedThresholdClassifier``, ``set_params(threshold=...)``
        takes effect without refitting. With ``"auto"`` the tuned values (the
        validation split's probabilities are kept for this).
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
    best_validation_loss_ : float or None
        Lowest validation loss, whose weights were restored (early stopping only;
        with a ``scoring`` metric, the validation loss of the restored epoch).
    validation_scores_ : list of float or None
        ``score`` (subset accuracy for a multi-label target) on the validation
        data after each epoch, as MLPClassifier's, or the ``scoring`` metric when
        it is not "loss" (early stopping only).
    best_validation_score_ : float or None
        The highest of ``validation_scores_``; the restored weights are those of
        the lowest validation loss, or of this score when ``scoring`` is a metric.
    n_iter_ : int
        Epochs run.
    coefs_, intercepts_ : list of ndarray
        Weights of each ``Dense`` layer (built-in architecture only). With
        ``n_networks > 1``, a leading members axis: ``coefs_[i][k]`` of shape
        (n_in, n_out) and ``intercepts_[i][k]`` are member ``k``'s layer ``i``.

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
    >>> tuned = MultiLabelMLPClassifier((20,), max_iter=50, threshold="auto", scoring="f1_micro",
    ...                                 random_state=0).fit(X, Y)
    >>> tuned.thresholds_.shape  # one tuned value, repeated for the 3 labels
    (3,)
    >>> ensemble = MultiLabelMLPClassifier((20,), max_iter=50, n_networks=3,
    ...                                    random_state=0).fit(X, Y)
    >>> ensemble.coefs_[0].shape  # 3 members, 10 features, 20 units
    (3, 10, 20)
    """

    _parameter_constraints = {
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(NUMPY_ACTIVATIONS))],
        "solver": [StrOptions(set(OPTIMIZERS) | {"lbfgs"})],
        "learning_rate": [StrOptions(set(SCHEDULES))],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "sparse_update": [StrOptions({"auto", "lazy", "dense"})],
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
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left"), Options(Real, {np.inf})],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "threshold": [Interval(Real, 0, 1, closed="both"), "array-like", StrOptions(set(AUTO_THRESHOLDS))],
        "scoring": [StrOptions(set(SCORINGS))],
        "loss": [StrOptions(set(SIGMOID_LOSSES))],
        "focal_gamma": [Interval(Real, 0, None, closed="left")],
        "focal_alpha": [None, Interval(Real, 0, 1, closed="both")],
        "asymmetric_gamma_pos": [Interval(Real, 0, None, closed="left")],
        "asymmetric_gamma_neg": [Interval(Real, 0, None, closed="left")],
        "asymmetric_clip": [Interval(Real, 0, 1, closed="left")],
        "class_weight": [None, StrOptions({"balanced"}), dict, "array-like"],
        "model": [None, callable],
        "n_networks": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        hidden_layer_sizes=(50,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.1,
        batch_size=32,
        learning_rate="constant",
        learning_rate_init=3e-3,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=0,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=True,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        sparse_update="auto",
        n_iter_no_change=50,
        scoring="loss",
        max_fun=15000,
        dropout=0.0,
        threshold=0.5,
        loss="binary_crossentropy",
        focal_gamma=2.0,
        focal_alpha=None,
        asymmetric_gamma_pos=0.0,
        asymmetric_gamma_neg=4.0,
        asymmetric_clip=0.05,
        class_weight=None,
        model=None,
        n_networks=1,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.sparse_update = sparse_update
        self.n_iter_no_change = n_iter_no_change
        self.scoring = scoring
        self.max_fun = max_fun
        self.dropout = dropout
        self.threshold = threshold
        self.loss = loss
        self.focal_gamma = focal_gamma
        self.focal_alpha = focal_alpha
        self.asymmetric_gamma_pos = asymmetric_gamma_pos
        self.asymmetric_gamma_neg = asymmetric_gamma_neg
        self.asymmetric_clip = asymmetric_clip
        self.class_weight = class_weight
        self.model = model
        self.n_networks = n_networks

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        tags.target_tags.multi_output = True
        tags.input_tags.sparse = True
        return tags
