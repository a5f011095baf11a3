"""Bar chart of a :func:`skmultimlp.benchmark.compare` summary (matplotlib, Agg)."""

import numpy as np

from ..benchmark import METRICS
from ..benchmark._compare import METRIC_BY_NAME


def plot_summary(summary, path, title):
    """Save the quality metrics as bars grouped by estimator, and the fit times.

    Parameters
    ----------
    summary : pandas.DataFrame
        As returned by :func:`skmultimlp.benchmark.compare`.
    path : str or path-like
        Where to write the chart; the suffix (``.png``, ``.svg``, ``.pdf``)
        chooses the format.
    title : str
        The figure title (the dataset and the cross-validation).
    """
    # A bare Figure renders PNGs with Agg without touching pyplot's global backend.
    from matplotlib import colormaps
    from matplotlib.figure import Figure

    figure = Figure(figsize=(12, 6.5), layout="constrained")
    quality, times = figure.subplots(
        1, 2, width_ratios=[4, 1.3], gridspec_kw={"wspace": 0.05}
    )
    colors = colormaps["tab10"].colors
    _quality_bars(quality, summary, colors)
    _time_bars(times, summary)
    figure.suptitle(title, fontsize=14)
    figure.savefig(path, dpi=120)


def _quality_bars(axes, summary, colors):
    """One group per estimator, one bar (with a std error bar) per metric."""
    metrics = [metric for metric in METRICS if f"mean_{metric}" in summary]
    names = [
        f"{name}\n(failed)" if summary.loc[name, [f"mean_{m}" for m in metrics]].isna().all()
        else str(name)
        for name in summary.index
    ]
    positions = np.arange(len(names))
    width = 0.8 / len(metrics)
    for i, metric in enumerate(metrics):
        axes.bar(
            positions + (i - (len(metrics) - 1) / 2) * width,
            summary[f"mean_{metric}"],
            width,
            yerr=summary[f"std_{metric}"],
            capsize=2,
            color=colors[i % len(colors)],
            error_kw={"elinewidth": 1, "ecolor": "black"},
            label=METRIC_BY_NAME[metric].plot_label.replace("\n", " "),
        )
    axes.set_xticks(positions, names)
    axes.set_ylim(0, 1.05)
    axes.set_ylabel("mean over folds (error bar: std)")
    axes.set_title("Quality")
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    axes.legend(
        title="metric",
        ncols=min(len(metrics), 3),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08),
        frameon=False,
    )


def _time_bars(axes, summary):
    """Horizontal bars of the mean fit time per estimator, log scale.

    The compilation of the MLP's folds is not in the bars (see
    :func:`skmultimlp.benchmark.compare`). On a log scale ``mean - std`` can be
    zero or negative, which would draw the error bar off the plot: the lower
    arm stops at a tenth of the mean, and the axis spans every bar and arm.
    """
    names = [str(name) for name in summary.index]
    positions = np.arange(len(names))
    means = summary["mean_fit_time"].to_numpy(dtype=float)
    stds = summary["std_fit_time"].to_numpy(dtype=float)
    lower = np.minimum(stds, 0.9 * means)
    axes.barh(
        positions,
        means,
        xerr=np.vstack([lower, stds]),
        capsize=3,
        color="0.55",
    )
    axes.set_yticks(positions, names)
    axes.invert_yaxis()
    shown = means > 0
    if shown.any():  # not when every estimator failed
        axes.set_xscale("log")
        low = np.nanmin((means - lower)[shown])
        high = np.nanmax((means + stds)[shown])
        axes.set_xlim(low / 2, high * 2)
    axes.set_xlabel("fit time per fold (s, log scale;\nwithout the MLP's compilation)")
    axes.set_title("Fit time")
    axes.grid(axis="x", alpha=0.3, which="both")
    axes.set_axisbelow(True)
