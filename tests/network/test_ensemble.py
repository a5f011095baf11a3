"""``n_networks``: K networks averaged, trained in one Keras model and one compiled loop."""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.special import expit
from sklearn.base import clone
from sklearn.datasets import make_classification

from skmultimlp import MultiLabelMLPClassifier

import helpers

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

FAST = {**helpers.FAST, "hidden_layer_sizes": (16, 8), "max_iter": 15}  # two hidden layers


@pytest.fixture(scope="module")
def ensemble(data):
    return MultiLabelMLPClassifier(n_networks=3, **FAST).fit(*data)


def _members_proba(X, coefs, intercepts):
    """Each member's probabilities, from its own weights (MLPClassifier's layout)."""
    out = []
    for k in range(coefs[0].shape[0]):
        a = X
        for W, b in zip(coefs[:-1], intercepts[:-1]):
            a = np.maximum(a @ W[k] + b[k], 0)
        out.append(expit(a @ coefs[-1][k] + intercepts[-1][k]))
    return np.stack(out)


def test_one_network_is_the_network_of_before(data):
    X, Y = data
    default = MultiLabelMLPClassifier(**FAST).fit(X, Y)
    one = MultiLabelMLPClassifier(n_networks=1, **FAST).fit(X, Y)
    np.testing.assert_array_equal(one.predict_proba(X), default.predict_proba(X))
    assert [c.shape for c in one.coefs_] == [(10, 16), (16, 8), (8, 4)]
    assert "member_mean" not in [layer.name for layer in one.model_.layers]


def test_members_have_their_own_weights_and_a_lone_initial_scale(ensemble):
    assert [c.shape for c in ensemble.coefs_] == [(3, 10, 16), (3, 16, 8), (3, 8, 4)]
    assert [b.shape for b in ensemble.intercepts_] == [(3, 16), (3, 8), (3, 4)]
    first = ensemble.coefs_[0]
    assert not np.allclose(first[0], first[1]) and not np.allclose(first[1], first[2])
    from skmultimlp._network import Architecture

    # Glorot-uniform of one member's layer, whatever K: limit sqrt(6 / (fan_in + fan_out))
    for K in (1, 4):
        weights = Architecture(10, 4, "sigmoid", (16, 8), "relu", 0.0, None, K).build(7).get_weights()
        for kernel, (fan_in, fan_out) in zip(weights[0::2], [(10, 16), (16, 8), (8, 4)]):
            limit = np.sqrt(6 / (fan_in + fan_out))
            assert 0.9 * limit < np.abs(kernel).max() <= limit


@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_each_member_trains_exactly_as_a_lone_network(data, solver):
    """Same mini-batches, a lone fit's gradient and penalty: member k of an ensemble
    warm-started from some weights follows the lone network started from them."""
    X, Y = data
    params = dict(FAST, max_iter=1, solver=solver, alpha=0.1)
    ens = MultiLabelMLPClassifier(n_networks=2, **params).fit(X, Y)
    lone = MultiLabelMLPClassifier(**params).fit(X, Y)
    lone.model_.set_weights([w for c, b in zip(ens.coefs_, ens.intercepts_) for w in (c[1], b[1])])
    ens.set_params(warm_start=True, max_iter=4).fit(X, Y)
    lone.set_params(warm_start=True, max_iter=4).fit(X, Y)
    for member, alone in zip(ens.coefs_ + ens.intercepts_, lone.coefs_ + lone.intercepts_):
        np.testing.assert_allclose(member[1], alone, atol=2e-6)
    assert not np.allclose(ens.coefs_[0][0], lone.coefs_[0], atol=1e-3)


def test_predict_proba_is_the_mean_of_the_members(ensemble, data):
    X, _ = data
    members = _members_proba(X, ensemble.coefs_, ensemble.intercepts_)
    np.testing.assert_allclose(ensemble.predict_proba(X), members.mean(axis=0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ensemble.model_.predict(X, verbose=0), members.mean(axis=0),
                               rtol=1e-5, atol=1e-6)
    assert np.abs(members[0] - members[1]).max() > 1e-2  # the mean is of different networks


def test_loss_curve_is_the_members_mean(ensemble, data):
    """loss_curve_ keeps a lone network's scale: about that of one member, not K times it."""
    X, Y = data
    lone = MultiLabelMLPClassifier(**FAST).fit(X, Y)
    assert 0.5 < ensemble.loss_curve_[-1] / lone.loss_curve_[-1] < 2


def test_sparse_matches_dense(ensemble, data):
    X, Y = data
    on_sparse = MultiLabelMLPClassifier(n_networks=3, **FAST).fit(sp.csr_matrix(X), Y)
    np.testing.assert_allclose(on_sparse.predict_proba(X), ensemble.predict_proba(X), atol=1e-5)
    np.testing.assert_allclose(ensemble.predict_proba(sp.csr_matrix(X)), ensemble.predict_proba(X),
                               atol=1e-6)


def test_predictions_in_chunks_match(ensemble, data, monkeypatch):
    import skmultimlp._network._forward as model

    X, _ = data
    whole = ensemble.predict_proba(X)
    monkeypatch.setattr(model, "PREDICT_CHUNK_ROWS", 7)  # 29 chunks of rows
    np.testing.assert_array_equal(ensemble.predict_proba(X), whole)
    np.testing.assert_allclose(ensemble.predict_proba(sp.csr_matrix(X)), whole, atol=1e-6)


def test_early_stopping_watches_the_averaged_prediction(data):
    X, Y = data
    clf = MultiLabelMLPClassifier(n_networks=3, **dict(FAST, early_stopping=True, max_iter=30))
    clf.fit(X, Y)
    # the kept validation probabilities are the ensemble's; the best validation loss
    # recorded inside the loop is their cross-entropy (not the members' mean loss)
    p, y = np.clip(clf._validation_proba.astype(np.float64), 1e-7, 1 - 1e-7), clf._validation_Y
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert clf.best_validation_loss_ == pytest.approx(loss, rel=1e-4)


def test_thresholds_class_weight_and_unknown_labels(data):
    X, Y = data
    Y = Y.astype(float)
    Y[np.random.default_rng(0).random(Y.shape) < 0.3] = np.nan
    clf = MultiLabelMLPClassifier(n_networks=2, threshold="auto", class_weight="balanced",
                                  **dict(FAST, early_stopping=True))
    clf.fit(X, Y)
    assert clf.thresholds_.shape == (4,) and np.all(clf.thresholds_ != 0.5)
    np.testing.assert_array_equal(clf.predict(X), clf.predict_proba(X) >= clf.thresholds_)


def test_binary_and_multiclass_targets():
    X, y = make_classification(150, 6, n_informative=4, n_classes=3, random_state=0)
    clf = MultiLabelMLPClassifier(n_networks=2, **dict(FAST, max_iter=30)).fit(X, y)
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert (clf.predict(X) == y).mean() > 0.7
    binary = MultiLabelMLPClassifier(n_networks=2, **dict(FAST, max_iter=30)).fit(X, y == 0)
    assert binary.predict_proba(X).shape == (150, 2)


def test_partial_fit_and_warm_start_continue(data):
    X, Y = data
    clf = MultiLabelMLPClassifier(n_networks=2, **FAST)
    clf.partial_fit(X, Y).partial_fit(X, Y)
    assert clf.n_iter_ == 1 and len(clf.loss_curve_) == 2 and clf.loss_curve_[1] < clf.loss_curve_[0]
    warm = MultiLabelMLPClassifier(n_networks=2, warm_start=True, **FAST).fit(X, Y)
    first = [c.copy() for c in warm.coefs_]
    warm.fit(X, Y)
    assert len(warm.loss_curve_) == 2 * FAST["max_iter"]
    assert warm.loss_curve_[-1] < warm.loss_curve_[FAST["max_iter"] - 1]
    # another K is another architecture: a new start, as for other hidden sizes
    warm.set_params(n_networks=3).fit(X, Y)
    assert warm.coefs_[0].shape[0] == 3 and len(warm.loss_curve_) == FAST["max_iter"]
    assert first[0].shape == (2, 10, 16)


@pytest.mark.parametrize("params, message", [
    (dict(model="custom"), r"n_networks=2 applies to the built-in MLP only"),
    (dict(solver="lbfgs"), r"n_networks=2 needs a mini-batch solver"),
])
def test_unsupported_combinations_raise_and_change_nothing(data, params, message):
    X, Y = data
    if params.get("model") == "custom":
        params = dict(model=_custom_model, hidden_layer_sizes=(50,))  # the default: no warning
    clf = MultiLabelMLPClassifier(**dict(FAST, **params)).fit(X, Y)
    before = clf.predict_proba(X)
    model = clf.model_
    with pytest.raises(ValueError, match=message):
        clf.set_params(n_networks=2).fit(X, Y)
    assert clf.model_ is model
    np.testing.assert_array_equal(clf.predict_proba(X), before)


def _custom_model(n_features, n_outputs, output_activation, seed):
    import keras

    return keras.Sequential([
        keras.Input((n_features,)),
        keras.layers.Dense(n_outputs, activation=output_activation,
                           kernel_initializer=keras.initializers.GlorotUniform(seed)),
    ])


def test_n_networks_is_validated(data):
    with pytest.raises(ValueError, match="n_networks"):
        MultiLabelMLPClassifier(n_networks=0).fit(*data)


def test_pickle_and_skops_round_trips(ensemble, data, tmp_path):
    X, _ = data
    expected = ensemble.predict_proba(X)
    unpickled = pickle.loads(pickle.dumps(ensemble))
    np.testing.assert_array_equal(unpickled.predict_proba(X), expected)
    np.testing.assert_allclose(unpickled.model_.predict(X, verbose=0), expected, rtol=1e-5, atol=1e-6)
    sio = pytest.importorskip("skops.io")
    sio.dump(ensemble, tmp_path / "clf.skops")
    untrusted = sio.get_untrusted_types(file=tmp_path / "clf.skops")
    loaded = sio.load(tmp_path / "clf.skops", trusted=untrusted)
    assert all(t.startswith("skmultimlp.") for t in untrusted)
    np.testing.assert_array_equal(loaded.predict_proba(X), expected)
    assert clone(loaded).get_params()["n_networks"] == 3


