"""Turning disclosure files into documents, tables, cells, facts and chunks."""
