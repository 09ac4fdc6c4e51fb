"""Charts of the briefing, each returned with an alt text that states its key numbers."""

from __future__ import annotations

from .base import (
    Chart,
    figure_html,
    plot_change,
    plot_department_heatmap,
    plot_department_values,
    plot_distribution,
    plot_dont_know,
    plot_innovation_by_department,
    plot_trend,
    plot_value_maturity,
)

__all__ = [
    "Chart",
    "plot_value_maturity",
    "plot_department_heatmap",
    "plot_innovation_by_department",
    "plot_change",
    "plot_trend",
    "plot_dont_know",
    "plot_distribution",
    "plot_department_values",
    "figure_html",
]
