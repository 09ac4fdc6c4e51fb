"""From a parameterised notebook to files on disk: render, batch, provenance, output.

In: a notebook under ``notebooks/``, its parameters and the input files. Out: an output folder
written all-or-nothing with the executed notebook, HTML, PDF, tables and a ``manifest.json``
that records inputs, code and settings, so an identical rerun can be skipped.
"""
