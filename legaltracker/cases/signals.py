"""Signals the cases app sends for other apps to act on, without importing them.

`extension_request_changed` is sent after the transaction that changed an extension
request commits, with `request_id` and `change` ("requested", "approved", "declined" or
"withdrawn"): the alerts app tells the heads of service of a new request and the
requester of the outcome (docs/alerts.md).
"""

from django.dispatch import Signal

extension_request_changed = Signal()
