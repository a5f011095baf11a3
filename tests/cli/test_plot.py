"""The benchmark's bar chart (skmultimlp._cli._plot)."""

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("matplotlib")

from matplotlib.figure import Figure  # noqa: E402

from skmultimlp._cli._plot import _time_bars  # noqa: E402


def test_log_scale_error_bars_stay_on_the_plot():
    # std > mean (a noisy fit time): mean - std <= 0 has no place on a log axis
    summary = pd.DataFrame(
        {"mean_fit_time": [0.2, 3.0, 0.004], "std_fit_time": [0.5, 0.1, 0.004]},
        index=["mlp", "rf", "knn"],
    )
    axes = Figure().subplots()
    _time_bars(axes, summary)
    low, high = axes.get_xlim()
    assert axes.get_xscale() == "log" and low > 0
    segments = np.concatenate([
        np.asarray(collection.get_segments()).reshape(-1, 2)
        for collection in axes.collections
    ])
    assert (segments[:, 0] > low).all() and (segments[:, 0] < high).all()
    # the lower arm of mlp stops at a tenth of its mean, the upper one is the std
    mlp = segments[np.isclose(segments[:, 1], 0)][:, 0]
    assert mlp.min() == pytest.approx(0.02) and mlp.max() == pytest.approx(0.7)
