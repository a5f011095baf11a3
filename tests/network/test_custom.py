"""The contract of a custom ``model`` callable (``_network._custom``): errors and warnings
that say the fix. Fitting and predicting with a custom model: tests/test_estimator.py."""

import random
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from skmultimlp import MultiLabelMLPClassifier

from helpers import FAST, small_functional_model

CUSTOM = {k: v for k, v in FAST.items() if k != "hidden_layer_sizes"}  # the builder decides
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def linear_output_model(n_features, n_outputs, output_activation, seed):
    import keras

    inputs = keras.Input((n_features,))
    outputs = keras.layers.Dense(n_outputs, kernel_initializer=keras.initializers.GlorotUniform(seed))(inputs)
    return keras.Model(inputs, outputs)


def softmax_output_model(n_features, n_outputs, output_activation, seed):
    import keras

    inputs = keras.Input((n_features,))
    outputs = keras.layers.Dense(n_outputs, activation="softmax",
                                 kernel_initializer=keras.initializers.GlorotUniform(seed))(inputs)
    return keras.Model(inputs, outputs)


def test_custom_model_without_probabilities_is_refused(data):
    X, Y = data
    with pytest.raises(ValueError, match="not probabilities.*output_activation"):
        MultiLabelMLPClassifier(**CUSTOM, model=linear_output_model).fit(X, Y)


def test_softmax_custom_model_on_a_multilabel_target_is_refused(data):
    X, Y = data
    with pytest.raises(ValueError, match="sum to 1.*multi-label.*sigmoid"):
        MultiLabelMLPClassifier(**CUSTOM, model=softmax_output_model).fit(X, Y)


def test_custom_model_with_wrong_output_shape(data):
    X, Y = data

    def wrong(n_features, n_outputs, output_activation, seed):
        return small_functional_model(n_features, n_outputs + 1, output_activation, seed)

    with pytest.raises(ValueError, match=r"outputs shape \(5,\).*expected \(4,\)"):
        MultiLabelMLPClassifier(model=wrong, max_iter=1).fit(X, Y)


def test_a_callable_that_returns_no_keras_model_is_refused(data):
    X, Y = data
    clf = MultiLabelMLPClassifier(**CUSTOM, model=lambda **kwargs: None)
    with pytest.raises(ValueError, match="must return a keras.Model, got NoneType"):
        clf.fit(X, Y)
    assert not hasattr(clf, "model_")


def test_tutorial_style_builder_gets_the_required_signature(data):
    def get_model(n_inputs, n_outputs):
        return small_functional_model(n_inputs, n_outputs, "sigmoid", 0)

    X, Y = data
    with pytest.raises(TypeError, match="n_features, n_outputs, output_activation, seed.*get_model"):
        MultiLabelMLPClassifier(**CUSTOM, model=get_model).fit(X, Y)


def test_a_builder_taking_keyword_arguments_is_called_with_the_four_of_them(data):
    X, Y = data
    received = []

    def build(**kwargs):
        received.append(kwargs)
        return small_functional_model(**kwargs)

    MultiLabelMLPClassifier(**{**CUSTOM, "max_iter": 1}, model=build).fit(X, Y)
    assert sorted(received[0]) == ["n_features", "n_outputs", "output_activation", "seed"]
    assert received[0]["n_features"] == 10 and received[0]["n_outputs"] == 4
    assert received[0]["output_activation"] == "sigmoid"


def test_architecture_parameters_ignored_by_a_custom_model_warn(data):
    X, Y = data
    clf = MultiLabelMLPClassifier(**{**FAST, "hidden_layer_sizes": (100,)}, dropout=0.2,
                                  model=small_functional_model)
    with pytest.warns(UserWarning, match="hidden_layer_sizes, dropout are not used"):
        clf.fit(X, Y)


def test_architecture_parameters_left_at_their_defaults_do_not_warn(data):
    X, Y = data
    # the default (50,), given as an array: the same value, so not "set"
    clf = MultiLabelMLPClassifier(**{**FAST, "hidden_layer_sizes": np.array([50]), "max_iter": 2},
                                  model=small_functional_model)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)  # a UserWarning too
        clf.fit(X, Y)


def test_compiled_custom_model_warns_that_its_loss_is_replaced(data):
    def compiled_model(**kwargs):
        model = small_functional_model(**kwargs)
        model.compile(optimizer="sgd", loss="mse")
        return model

    X, Y = data
    with pytest.warns(UserWarning, match="compiled model; its loss and optimizer are not used"):
        MultiLabelMLPClassifier(**CUSTOM, model=compiled_model).fit(X, Y)


def test_builder_ignoring_seed_warns_that_random_state_cannot_help(data):
    def unseeded_model(n_features, n_outputs, output_activation, seed):
        import keras

        inputs = keras.Input((n_features,))
        outputs = keras.layers.Dense(n_outputs, activation=output_activation)(inputs)
        return keras.Model(inputs, outputs)

    X, Y = data
    state = random.getstate()  # Keras draws unseeded initializers' seeds from `random`
    try:
        with pytest.warns(UserWarning, match="does not seed its initializers"):
            MultiLabelMLPClassifier(**CUSTOM, model=unseeded_model).fit(X, Y)
        # without random_state, reproducible fits are not asked for: no warning
        with warnings.catch_warnings():
            warnings.simplefilter("error", UserWarning)
            warnings.simplefilter("ignore", ConvergenceWarning)
            MultiLabelMLPClassifier(**{**CUSTOM, "random_state": None, "max_iter": 1},
                                    model=unseeded_model).fit(X, Y)
    finally:
        random.setstate(state)
