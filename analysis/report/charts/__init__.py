"""Charts of the briefing, each returned with an alt text that states its key numbers.

Every ``plot_*`` function takes the data (and an optional matplotlib ``ax``) and returns a
:class:`Chart`: the figure and its alt text. The families, one module each:

- :mod:`.values`: the municipality's maturity on each value (:func:`plot_value_maturity`).
- :mod:`.departments`: the department x value heatmap (:func:`plot_department_heatmap`) and one
  value by department (:func:`plot_innovation_by_department`).
- :mod:`.change`: the change between two waves (:func:`plot_change`).
- :mod:`.trend`: every wave, one small panel per value (:func:`plot_trend`).
- :mod:`.dont_know`: the share of "Ved ikke" per department and value (:func:`plot_dont_know`).
- :mod:`.distribution`: the answers' spread over the levels (:func:`plot_distribution`).
- :mod:`.profile`: one department beside the municipality (:func:`plot_department_values`).
- :mod:`.barriers`: the barriers and enablers (:func:`plot_barriers`) and the open question's
  themes (:func:`plot_themes`).

:mod:`.base` holds the :class:`Chart` class, figure creation, PNG rendering,
:func:`figure_html` and the drawing helpers the families share.

Disclosure control (method.md, version 2): a suppressed department x value cell never shows a
number, not even through its position: suppressed departments are drawn as hatched cells or rows
("Skjult (n < 5)", or "Skjult (i Øvrige forv.)" for a department of 5 or more hidden only because
it was pooled) after the published ones, never sorted among them. The small departments of a
value enter through the merged group *Øvrige forvaltninger* (``ØVRIGE``), drawn as a row or bar
of its own, labelled with :func:`analysis.words.merged_group_name` (one row per membership, as
each value has its own pool). The municipality is the full-coverage score of ``scores.value``
(every department, each weighing the same) in every chart, the change chart included.
"""

from __future__ import annotations

from .barriers import plot_barriers, plot_themes
from .base import Chart, figure_html
from .change import plot_change
from .departments import plot_department_heatmap, plot_innovation_by_department
from .distribution import plot_distribution
from .dont_know import plot_dont_know
from .profile import plot_department_values
from .trend import plot_trend
from .values import plot_value_maturity

__all__ = [
    "Chart",
    "figure_html",
    "plot_barriers",
    "plot_change",
    "plot_department_heatmap",
    "plot_department_values",
    "plot_distribution",
    "plot_dont_know",
    "plot_innovation_by_department",
    "plot_themes",
    "plot_trend",
    "plot_value_maturity",
]
