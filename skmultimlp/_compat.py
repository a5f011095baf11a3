"""The only place that imports private or version-dependent scikit-learn API.

Everything else in skmultimlp imports these names from here, so that a change in
scikit-learn's private API is fixed in a single file. Checked with 1.6 to 1.9.
"""

from sklearn.base import _fit_context
from sklearn.model_selection._split import _BaseKFold, _RepeatedSplits
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    Options,
    StrOptions,
    validate_parameter_constraints,
)
from sklearn.utils.optimize import _check_optimize_result
from sklearn.utils.validation import _check_method_params, _check_sample_weight, validate_data

__all__ = [
    "_check_method_params",
    "_check_optimize_result",
    "_safe_indexing",
    "HasMethods",
    "_check_sample_weight",
    "Interval",
    "Options",
    "StrOptions",
    "_BaseKFold",
    "_RepeatedSplits",
    "_fit_context",
    "validate_data",
    "validate_parameter_constraints",
]
