"""Frames in, frames out: the statistics of method.md, with no language and no HTML.

In: the tidy responses frame of :mod:`analysis.survey` and the codebook. Out: pandas frames of
scores with bootstrap intervals per department, value and focus area, changes between waves,
answer distributions, reliability (Cronbach's alpha) and weighting sensitivity. Every
disclosure rule (which cell may be published) lives in :mod:`analysis.stats.disclosure`.
"""
