"""Frames in, frames out: the statistics of method.md, with no language and no HTML.

In: the tidy responses frame of :mod:`analysis.survey` and the codebook. Out: pandas frames of
scores with bootstrap intervals per department, value and focus area (``scoring``, giving a
``scores.Scores``), changes between waves (``changes``), answer distributions
(``distributions``), reliability (``reliability``, Cronbach's alpha) and weighting sensitivity
(``sensitivity``), and the case register as frames beside the scores (``cases``). The resampling
machinery is ``bootstrap``; every disclosure rule (which cell may be published) lives in
:mod:`analysis.stats.disclosure`.
"""
