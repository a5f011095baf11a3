"""Dense features: rows padded with zeros, gathered as they are."""

import numpy as np

from .._arrays import pad
from ._types import InputKind


def _prepare(X):
    return X


def _width(X):
    return None


def _padded(X, n_rows, width):
    return pad(X, n_rows)


def _placeholder(n_features, width):
    return pad(np.zeros((1, n_features)), 1)


def _dense_rows(rows):
    return rows


def _model_input(n_features):
    return None


DENSE = InputKind("dense", _prepare, _width, _padded, _placeholder, _dense_rows, _model_input,
                  sparse=False)
