"""Post-incident analysis: the standard template, key moments derived from an incident's
records, recommended action items, the blameless check and reports over many incidents.

Between the operations and the engine: it reads the store through a transaction the
operations hand it and never imports ``core.ops``.
"""
