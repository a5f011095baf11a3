"""Compare multi-label classifiers by repeated cross-validation.

:func:`compare` fits every estimator on every fold and scores it with the usual
multi-label metrics; :func:`default_estimators` gives the six estimators that
``skmultimlp benchmark`` compares by default, and :func:`tuned_estimators` wraps
them in :class:`~skmultimlp.MultiLabelTunedThresholdClassifierCV`.

pandas (for the results table) and tqdm (for the progress bar) are imported
only when :func:`compare` runs; neither this package nor :func:`default_estimators`
imports Keras or TensorFlow.
"""

from ._baselines import default_estimators, tuned_estimators
from ._compare import FOLD_TIMES, METRICS, TIMES, compare, summarize

__all__ = ["METRICS", "compare", "default_estimators", "tuned_estimators"]
