"""Checks of a corpus's outputs: the cross-format consistency check
(:mod:`healthinfo.checks.consistency`) and the outline each format's reader returns
(:mod:`healthinfo.checks.outline`); and of the corpus itself: review governance and
plain language (:mod:`healthinfo.checks.audit`). Nothing is imported here, so that an exporter's
outline reader can import the outline without loading the check."""
