"""Bar chart of a :func:`skmultimlp.benchmark.compare` summary (matplotlib, Agg)."""

import numpy as np

from .benchmark import METRICS

LABELS = {
    "subset_accuracy": "subset\naccuracy",
    "hamming_loss": "Hamming loss\n(lower is better)",
    "f1_micro": "F1 micro",
    "f1_macro": "F1 macro",
    "f1_samples": "F1 samples",
    "roc_auc_macro": "ROC AUC\nmacro",
}


def plot_summary(summary, path, title):
    """Save grouped bars of the quality metrics and a panel of the times.

    Parameters
    ----------
    summary : pandas.DataFrame
        As returned by :func:`skmultimlp.benchmark.compare`.
    path : str or path-like
        Where to write the PNG.
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
    _time_bars(times, summary, colors)
    figure.suptitle(title, fontsize=14)
    figure.savefig(path, dpi=120)


def _quality_bars(axes, summary, colors):
    """One group per metric, one bar (with a std error bar) per estimator."""
    metrics = [metric for metric in METRICS if f"mean_{metric}" in summary]
    positions = np.arange(len(metrics))
    width = 0.8 / len(summary)
    for i, (name, row) in enumerate(summary.iterrows()):
        means = [row[f"mean_{metric}"] for metric in metrics]
        axes.bar(
            positions + (i - (len(summary) - 1) / 2) * width,
            means,
            width,
            yerr=[row[f"std_{metric}"] for metric in metrics],
            capsize=3,
            color=colors[i % len(colors)],
            error_kw={"elinewidth": 1, "ecolor": "black"},
            label=f"{name} (failed)" if np.isnan(means).all() else name,
        )
    axes.set_xticks(positions, [LABELS[metric] for metric in metrics])
    axes.set_ylim(0, 1.05)
    axes.set_ylabel("mean over folds (error bar: std)")
    axes.set_title("Quality")
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    axes.legend(
        title="estimator",
        ncols=min(len(summary), 6),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14),
        frameon=False,
    )


def _time_bars(axes, summary, colors):
    """Horizontal bars of the mean fit time per estimator, log scale."""
    names = [str(name) for name in summary.index]
    positions = np.arange(len(names))
    axes.barh(
        positions,
        summary["mean_fit_time"],
        xerr=summary["std_fit_time"],
        capsize=3,
        color=[colors[i % len(colors)] for i in range(len(names))],
    )
    axes.set_yticks(positions, names)
    axes.invert_yaxis()
    axes.set_xscale("log")
    axes.set_xlabel("fit time per fold (s, log scale)")
    axes.set_title("Fit time")
    axes.grid(axis="x", alpha=0.3, which="both")
    axes.set_axisbelow(True)
