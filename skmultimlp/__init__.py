"""A Keras 3 multi-label MLP that is a first-class scikit-learn classifier.

Importing this package does not import Keras or TensorFlow: they are imported
the first time a model is built or trained.
"""

from importlib.metadata import PackageNotFoundError, version

from ._estimator import MultiLabelMLPClassifier
from ._label_sets import label_indicator, label_sets
from ._tuned_thresholds import MultiLabelTunedThresholdClassifierCV

try:
    __version__ = version("skmultimlp")
except PackageNotFoundError:  # a source tree on sys.path that was never installed
    __version__ = "0+unknown"

__all__ = [
    "MultiLabelMLPClassifier",
    "MultiLabelTunedThresholdClassifierCV",
    "__version__",
    "label_indicator",
    "label_sets",
]
