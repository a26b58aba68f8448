"""The one model the shared code needs: the heads of the audit hash chains
(legaltracker/core/hashchain.py). Here, not in `audit`, because the case audit writer
(`cases.events`) links into a chain and `audit` already depends on `cases`."""

from __future__ import annotations

from django.db import models


class AuditChainHead(models.Model):
    """The newest link of one hash chain (docs/security.md, "Finding 2"): the access log
    is one chain (`key` 0), each case's audit trail another (`key` = case id).

    Writers lock this row (SELECT ... FOR UPDATE) before they append, which makes "the
    previous row" well defined under concurrency; `seal` (an HMAC of the other fields)
    lets `audit_verify` notice the newest rows removed and the head wound back.
    """

    chain = models.CharField(max_length=10)
    key = models.BigIntegerField(default=0)
    length = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True, default="")
    seal = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chain", "key"], name="audit_chain_head_once")
        ]

    def __str__(self) -> str:
        return f"{self.chain} chain {self.key}: {self.length} rows"
