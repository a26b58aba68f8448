"""Accountability for the records the tracker holds (docs/retention.md, docs/domain/roles.md).

- Access audit: one `AccessLog` row per request that reads a case, exports, downloads a
  letter or changes anything (`middleware`), tied to a request id (`requestid`).
- An audit trail that cannot be rewritten: `AccessLog` and `cases.CaseEvent` are
  append-only in the ORM and, on PostgreSQL, by trigger (migration 0002).
- Restricted records: a case named people alone may see (`CaseRestriction`,
  `restrictions`, consulted by `cases.permissions`).
- Subject access requests: everything held about one person (`subject_access`).
- Retention: when closed cases are due for review, and the recorded decisions
  (`retention`, `RetentionDecision`). Nothing is ever deleted here.

docs/retention.md explains the choices.
"""
