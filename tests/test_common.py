"""scikit-learn's estimator checks, all of them, over a table of instances.

Each instance says which checks run with other parameters, which do not apply
(skipped) and which are expected to fail (xfail), each with its reason, as
imbalanced-learn's instance generator does. ``expected_failed_checks`` is
``parametrize_with_checks``' own mechanism (scikit-learn >= 1.6).
"""

import warnings
from typing import NamedTuple

import pytest
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.utils import estimator_checks
from sklearn.utils.estimator_checks import parametrize_with_checks

from skmultimlp import MultiLabelMLPClassifier, MultiLabelTunedThresholdClassifierCV

# Weighting a sample by k must equal repeating it k times to rtol=1e-7 in these two
# checks: float32 mini-batch training matches to about 1e-6 only, so they run with
# the deterministic float64 solver="lbfgs", as scikit-learn runs them for its own MLP.
SAMPLE_WEIGHT_EQUIVALENCE = (
    "check_sample_weight_equivalence_on_dense_data",
    "check_sample_weight_equivalence_on_sparse_data",
)


class Instance(NamedTuple):
    """An estimator to check, and how (each dict maps a check's name to its entry)."""

    estimator: object
    params_for: dict = {}  # parameters set for that check only
    skipped: dict = {}  # why the check does not apply
    expected_failed: dict = {}  # why the check fails (xfail)


MLP = MultiLabelMLPClassifier((16,), max_iter=60, learning_rate_init=0.01, random_state=0)

INSTANCES = [
    Instance(MLP, params_for={check: {"solver": "lbfgs"} for check in SAMPLE_WEIGHT_EQUIVALENCE}),
    Instance(
        clone(MLP).set_params(n_networks=3),
        skipped={check: "float64 L-BFGS only; an ensemble trains with mini-batch solvers"
                 for check in SAMPLE_WEIGHT_EQUIVALENCE},
    ),
    Instance(
        MultiLabelTunedThresholdClassifierCV(MLPClassifier((8,), solver="lbfgs", random_state=0), cv=3),
        # scikit-learn lists the same failures for its own TunedThresholdClassifierCV.
        expected_failed={
            "check_classifiers_train": (
                "asserts predict == argmax(predict_proba), i.e. a threshold of 0.5, which a "
                "tuned threshold does not keep on purpose"
            ),
            "check_classifier_multioutput": (
                "asserts predict == (predict_proba > 0.5) for a multi-label target; same reason"
            ),
        },
    ),
]
_INSTANCE_OF = {id(instance.estimator): instance for instance in INSTANCES}


# Some checks draw from NumPy's global generator themselves (for example
# check_methods_sample_order_invariance calls np.random.permutation).
@pytest.mark.uses_global_numpy_rng
@parametrize_with_checks(
    [instance.estimator for instance in INSTANCES],
    expected_failed_checks=lambda estimator: _INSTANCE_OF[id(estimator)].expected_failed,
)
def test_sklearn_compatible_estimator(estimator, check):
    instance = _INSTANCE_OF[id(estimator)]
    name = getattr(check, "func", check).__name__
    if name in instance.skipped:
        pytest.skip(instance.skipped[name])
    if name in instance.params_for:
        estimator = clone(estimator).set_params(**instance.params_for[name])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # few iterations, on purpose
        check(estimator)


# The checks most likely to break with the state kept for threshold="auto" and a
# validation metric (every check runs above, at a threshold of 0.5).
AUTO_THRESHOLD_CHECKS = [
    "check_dict_unchanged", "check_fit_idempotent", "check_estimators_pickle",
    "check_classifiers_multilabel_representation_invariance",
    "check_classifiers_multilabel_output_format_predict",
]


@pytest.mark.uses_global_numpy_rng
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("check", AUTO_THRESHOLD_CHECKS)
def test_estimator_checks_with_auto_thresholds_and_a_metric(check):
    est = clone(MLP).set_params(threshold="auto_per_label", scoring="f1_micro")
    getattr(estimator_checks, check)(type(est).__name__, est)
