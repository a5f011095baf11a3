"""A Keras 3 multi-label MLP that is a first-class scikit-learn classifier.

Importing this package does not import Keras or TensorFlow: they are imported
the first time a model is built or trained.
"""

from ._estimator import MultiLabelMLPClassifier
from ._tuned_thresholds import MultiLabelTunedThresholdClassifierCV

__version__ = "0.1.0"

__all__ = ["MultiLabelMLPClassifier", "MultiLabelTunedThresholdClassifierCV", "__version__"]
