"""Saving and loading without running code: Keras configs in safe mode, portable builders.

A fitted estimator is saved as plain data (see :class:`KerasModelPickling`):
its parameters, fitted attributes, the Keras JSON config of ``model_`` and its
weights. This module holds what that needs beyond the model itself:

- :func:`model_from_config` rebuilds a Keras model from its JSON config in Keras'
  safe mode and refuses Python lambdas (marshalled bytecode) before Keras sees them,
  even where unsafe deserialization was enabled globally;
- :class:`StoredArchitecture` stands in for a ``model`` callable that cannot be found
  again by its import path (defined in a script's ``__main__``, a lambda, a nested
  function): it rebuilds the same architecture from the stored config, so the
  estimator loads in a process where that function does not exist.

With these, ``skops.io`` lists only our classes as types to trust, and pickle files
no longer refer to a script's functions.
"""

import json
import sys
from functools import partial

from ._backend import contained_import_effects, import_keras

# Keras' marker of a Python lambda serialized as bytecode; loading it runs that code.
PYTHON_CODE_MARKER = "__lambda__"


class UnsafeModelError(ValueError):
    """A stored Keras config holds Python code, which loading would run."""


def model_from_config(config_json):
    """The Keras model described by a JSON config, built in safe mode.

    Parameters
    ----------
    config_json : str
        ``model.to_json()`` of a Keras model.

    Returns
    -------
    model : keras.Model
        An uncompiled model with freshly initialised weights.

    Raises
    ------
    UnsafeModelError
        When the config holds a Python lambda (a ``Lambda`` layer or an activation
        that is a lambda): loading it would execute stored bytecode.
    """
    keras = import_keras()
    config = json.loads(config_json)
    if _holds_python_code(config):
        raise UnsafeModelError(
            "The stored Keras model holds a Python lambda (for example in a Lambda "
            "layer); loading it would execute code stored in the file, so it is refused. "
            "Use a named function registered with "
            "@keras.saving.register_keras_serializable() (or a registered Layer "
            "subclass) instead of the lambda, and import its module before loading."
        )
    with contained_import_effects():  # may import TensorFlow's helpers under JAX
        return keras.saving.deserialize_keras_object(config, safe_mode=True)


def _holds_python_code(node):
    """True when a decoded Keras config contains a serialized Python lambda."""
    if isinstance(node, dict):
        if node.get("class_name") == PYTHON_CODE_MARKER:
            return True
        return any(_holds_python_code(value) for value in node.values())
    if isinstance(node, list):
        return any(_holds_python_code(value) for value in node)
    return False


def importable(obj):
    """True when ``obj`` can be found again from its module and qualified name.

    That is what pickle and ``skops.io`` store for a function or a class; a function
    of a script's ``__main__``, a lambda or a nested function cannot be found in
    another process. A ``functools.partial`` is importable when its function is;
    any other callable object when its class is.
    """
    if isinstance(obj, partial):
        return importable(obj.func)
    if not hasattr(obj, "__qualname__"):
        return importable(type(obj))
    module = sys.modules.get(getattr(obj, "__module__", None) or "")
    if module is None or module.__name__ == "__main__" or "<" in obj.__qualname__:
        return False
    found = module
    for name in obj.__qualname__.split("."):
        found = getattr(found, name, None)
    return found is obj


class StoredArchitecture:
    """A ``model`` callable that rebuilds a stored Keras architecture.

    Saving a fitted estimator whose ``model`` cannot be imported by name puts one
    of these in its place, so the file loads without that function. Called as the
    estimator calls ``model``, it returns the stored architecture with new weights
    drawn from ``seed``; it accepts only the shapes it was stored with.

    Parameters
    ----------
    config_json : str
        Keras JSON config of the architecture.
    n_features, n_outputs : int
        Input and output width the architecture was built for.
    output_activation : {"sigmoid", "softmax"}
        Output activation the architecture was built for.
    original : callable or None, default=None
        The replaced function, kept in memory only: ``copy.deepcopy`` of an
        estimator gives it back, a saved file never holds it.
    """

    def __init__(self, config_json, n_features, n_outputs, output_activation, original=None):
        self.config_json = config_json
        self.n_features = n_features
        self.n_outputs = n_outputs
        self.output_activation = output_activation
        self.original = original

    def __call__(self, *, n_features, n_outputs, output_activation, seed):
        stored = (self.n_features, self.n_outputs, self.output_activation)
        if (n_features, n_outputs, output_activation) != stored:
            raise ValueError(
                f"This model was loaded from a file without the function that built it and "
                f"can only be rebuilt for n_features={stored[0]}, n_outputs={stored[1]}, "
                f"output_activation={stored[2]!r}; got {n_features}, {n_outputs}, "
                f"{output_activation!r}. Pass the original function as model= to fit other data."
            )
        config = json.loads(self.config_json)
        _reseed(config, [int(seed)])
        return model_from_config(json.dumps(config))

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k != "original"}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.original = None

    def __deepcopy__(self, memo):
        return StoredArchitecture(self.config_json, self.n_features, self.n_outputs,
                                  self.output_activation, self.original)

    def __repr__(self):
        return (f"StoredArchitecture(n_features={self.n_features}, n_outputs={self.n_outputs}, "
                f"output_activation={self.output_activation!r})")


def _reseed(node, counter):
    """Give every ``seed`` of a decoded Keras config (initializers, dropout) a new value.

    Seeds are ``counter[0], counter[0] + 1, ...`` in config order, so one ``seed``
    always gives the same initial weights, and no unseeded initializer draws from
    Keras' global seed generator.
    """
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "seed" and (value is None or isinstance(value, int)):
                node[key] = counter[0]
                counter[0] += 1
            else:
                _reseed(value, counter)
    elif isinstance(node, list):
        for value in node:
            _reseed(value, counter)


def portable_model_parameter(state, config_json):
    """The ``model`` parameter to save: a :class:`StoredArchitecture` if it cannot be imported.

    ``state`` is the estimator's state with fitted attributes; ``config_json`` the
    config of its ``model_``.
    """
    model = state.get("model")
    if model is None or importable(model):
        return model
    activation = "softmax" if state["out_activation_"] == "softmax" else "sigmoid"
    return StoredArchitecture(config_json, state["n_features_in_"], state["n_outputs_"],
                              activation, original=model)


def restored_model_parameter(model):
    """The ``model`` parameter after loading: the original function when still in memory."""
    if isinstance(model, StoredArchitecture) and model.original is not None:
        return model.original
    return model


def model_to_state(model):
    """The model as plain data: its JSON config and its weights.

    Loading it needs no file I/O (Keras' own pickling imports TensorFlow under every
    backend); custom layers must be Keras-registered to load again.
    """
    with contained_import_effects():  # to_json imports TensorFlow's JSON helpers
        return model.to_json(), model.get_weights()


def model_from_state(config_json, weights):
    """The model saved by :func:`model_to_state`, rebuilt in Keras' safe mode.

    Raises :class:`UnsafeModelError` when the config holds
    a Python lambda, whose loading would run code stored with it.
    """
    model = model_from_config(config_json)
    model.set_weights(weights)
    return model


class KerasModelPickling:
    """Mixin: pickles the fitted ``model_`` as :func:`model_to_state` data.

    A ``model`` callable that cannot be imported by name is saved as a
    :class:`StoredArchitecture` of ``model_``'s config.
    """

    def __getstate__(self):
        # A copy: scikit-learn's __getstate__ may hand back the live __dict__, and
        # pickling must not change the estimator being pickled.
        state = dict(super().__getstate__())
        if "model_" in state:
            state["_model_json"], state["_model_weights"] = model_to_state(state.pop("model_"))
            state["model"] = portable_model_parameter(state, state["_model_json"])
        return state

    def __setstate__(self, state):
        state = dict(state)
        json, weights = state.pop("_model_json", None), state.pop("_model_weights", None)
        if "model" in state:
            state["model"] = restored_model_parameter(state["model"])
        super().__setstate__(state)
        if json is not None:
            self.model_ = model_from_state(json, weights)
