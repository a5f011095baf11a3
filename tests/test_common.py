"""scikit-learn's estimator checks, all of them, with no expected failure."""

import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks

from skmultimlp import MultiLabelMLPClassifier

# Weighting a sample by k must equal repeating it k times to rtol=1e-7 in these two
# checks: float32 mini-batch training matches to about 1e-6 only, so they run with
# the deterministic float64 solver="lbfgs", as scikit-learn runs them for its own MLP.
LBFGS_CHECKS = {
    "check_sample_weight_equivalence_on_dense_data",
    "check_sample_weight_equivalence_on_sparse_data",
}


# Some checks draw from NumPy's global generator themselves (for example
# check_methods_sample_order_invariance calls np.random.permutation).
@pytest.mark.uses_global_numpy_rng
@parametrize_with_checks(
    [MultiLabelMLPClassifier((16,), max_iter=60, learning_rate_init=0.01, random_state=0)],
)
def test_sklearn_compatible_estimator(estimator, check):
    if getattr(check, "func", check).__name__ in LBFGS_CHECKS:
        estimator = clone(estimator).set_params(solver="lbfgs")
    check(estimator)
