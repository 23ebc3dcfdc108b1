"""Delivery of the briefs and the digest: by email (mail) and to Slack (slack), each item to each recipient
once only (once, on the run state's delivery tables), with bounded retries (retry).

This package imports summarize.records, .errors, .options, .host and .state, nothing else of the package.
"""
