"""Everything that depends on language or layout: numbers as words, charts, sections, templates.

In: the frames of :mod:`analysis.stats` and the settings (language, title). Out: Danish or
English sentences guarded by the intervals, matplotlib charts with alt text, and the briefing's
and the department profiles' sections as HTML for the notebooks; the nbconvert template and the
chart style live beside them.
"""
