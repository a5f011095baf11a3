"""scikit-learn's estimator checks, all of them."""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from skmultimlp import MultiLabelMLPClassifier

# Training runs in float32. Weighting a sample by k equals repeating it k times only
# up to float32 round-off (the largest relative difference measured is 1.4e-6),
# while these two checks compare predictions with rtol=1e-7.
FLOAT32_ROUND_OFF = (
    "float32 training: sample_weight=k matches repeating a sample k times to about "
    "1e-6 relative, above the check's rtol=1e-7"
)
EXPECTED_FAILED_CHECKS = {
    "check_sample_weight_equivalence_on_dense_data": FLOAT32_ROUND_OFF,
    "check_sample_weight_equivalence_on_sparse_data": FLOAT32_ROUND_OFF,
}


# Some checks draw from NumPy's global generator themselves (for example
# check_methods_sample_order_invariance calls np.random.permutation).
@pytest.mark.uses_global_numpy_rng
@parametrize_with_checks(
    [MultiLabelMLPClassifier((16,), max_iter=60, learning_rate_init=0.01, random_state=0)],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
