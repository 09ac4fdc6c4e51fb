"""The file contract: the score frames as stable CSV tables and one Excel workbook.

In: the frames of :mod:`analysis.stats`. Out: the CSV files whose columns the README documents
(``tables/*.csv``) and ``briefing_tables.xlsx`` for Danish Excel, with text cells neutralised so a
spreadsheet never runs them as formulas.
"""
