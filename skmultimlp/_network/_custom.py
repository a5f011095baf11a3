"""The contract of a custom ``model`` callable, checked once per fit with errors that say the fix.

The callable is called as ``model(n_features=..., n_outputs=..., output_activation=...,
seed=...)`` and returns an uncompiled ``keras.Model`` that maps the features to
probabilities: ``n_outputs`` sigmoids for a multi-label or binary target (``output_activation
== "sigmoid"``), a softmax over the classes for a multiclass target. Its initializers
(and dropout) should be seeded from ``seed``, so that ``random_state`` makes fits
reproducible.
"""

import inspect
import warnings

import numpy as np

from .._inputs import input_kind

BUILDER_KEYWORDS = ("n_features", "n_outputs", "output_activation", "seed")
_SIGNATURE_HINT = (
    "def build(n_features, n_outputs, output_activation, seed): ... "
    "(the tutorial's get_model(n_inputs, n_outputs) becomes such a function)"
)


def call_builder(builder, **kwargs):
    """``builder(**kwargs)``, with a clear error when its signature cannot take them."""
    try:
        signature = inspect.signature(builder)
    except (TypeError, ValueError):  # some callables (builtins) have no signature: just call
        return builder(**kwargs)
    try:
        signature.bind(**kwargs)
    except TypeError as exc:
        raise TypeError(
            f"The model callable must accept the keyword arguments {', '.join(BUILDER_KEYWORDS)}, "
            f"e.g. {_SIGNATURE_HINT}; {getattr(builder, '__name__', builder)!r} does not ({exc})."
        ) from None
    return builder(**kwargs)


ARCHITECTURE_PARAMETERS = ("hidden_layer_sizes", "activation", "dropout")


def model_checker(estimator, architecture, X, multilabel, seed):
    """``check(model)`` for a model just built from ``estimator.model`` (see below).

    The seed is checked only when ``random_state`` asks for reproducible fits.
    """
    defaults = type(estimator)().get_params()
    unused = [name for name in ARCHITECTURE_PARAMETERS  # ravel: sizes may be an array
              if np.ravel(getattr(estimator, name)).tolist() != np.ravel(defaults[name]).tolist()]
    seed_to_check = None if estimator.random_state is None else seed

    def check(model):
        check_custom_model(model, architecture, X, multilabel, seed_to_check, unused)

    return check


def check_custom_model(model, architecture, X, multilabel, seed=None, unused=()):
    """Check a model just built by the callable; raise or warn with the fix.

    Raises unless ``model`` is a ``keras.Model`` whose output has ``n_outputs``
    columns of probabilities on the first rows of ``X`` (sigmoids, not a softmax,
    for a multi-label target). Warns when the model comes compiled (its loss and
    optimizer are not used), when ``unused`` estimator parameters were set, and,
    given ``seed``, when building again from it gives other initial weights.
    """
    import keras

    if unused:
        warnings.warn(
            f"{', '.join(unused)} {'is' if len(unused) == 1 else 'are'} not used with a custom "
            "model (model=...): the model callable decides the architecture.",
            UserWarning,
        )
    if not isinstance(model, keras.Model):
        raise ValueError(f"The model callable must return a keras.Model, got {type(model).__name__}.")
    n_features, n_outputs = architecture.n_features, architecture.n_outputs
    shape = tuple(model.compute_output_spec(keras.KerasTensor((2, n_features))).shape)
    if shape != (2, n_outputs):
        raise ValueError(
            f"The model returned by the model callable outputs shape {shape[1:]} for "
            f"{n_features} features; expected ({n_outputs},)."
        )
    if getattr(model, "compiled", False):
        warnings.warn(
            "The model callable returned a compiled model; its loss and optimizer are not used "
            "(the estimator trains with cross-entropy and its `solver` parameter).",
            UserWarning,
        )
    out = model(np.asarray(input_kind(X).dense_rows(X[:32]), dtype=np.float32), training=False)
    _check_probabilities(keras.ops.convert_to_numpy(out), multilabel)
    if seed is not None:
        _warn_if_seed_is_ignored(architecture, model, seed)


def _check_probabilities(out, multilabel):
    hint = ("end the network with Dense(n_outputs, activation=output_activation), using the "
            "output_activation argument the callable receives")
    if not np.all(np.isfinite(out)) or out.min() < 0 or out.max() > 1:
        raise ValueError(
            f"The custom model's outputs are not probabilities: they range from "
            f"{np.nanmin(out):.3g} to {np.nanmax(out):.3g} on the first rows of X; {hint}."
        )
    if multilabel and out.shape[1] > 1 and np.allclose(out.sum(axis=1), 1.0, atol=1e-5):
        raise ValueError(
            "The custom model's outputs sum to 1 on every row (a softmax), but the target is "
            f"multi-label: each label needs its own sigmoid; {hint} ('sigmoid' here)."
        )


def _warn_if_seed_is_ignored(architecture, model, seed):
    """Warn when building again from the same ``seed`` gives other initial weights."""
    again = architecture.build(seed)
    same = all(np.array_equal(a, b) for a, b in zip(model.get_weights(), again.get_weights()))
    if not same:
        warnings.warn(
            "The model callable does not seed its initializers from `seed`: random_state cannot "
            "make fits reproducible. Pass `seed` to the initializers (e.g. "
            "keras.initializers.GlorotUniform(seed=seed)) and to any Dropout layer.",
            UserWarning,
        )
