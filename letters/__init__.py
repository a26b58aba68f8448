"""Letters to families and the schedule of expectations (docs/domain/letters.md).

The schedule of expectations is case data (models.Expectation). Letters are built by a
registry of kinds, each a Word template and a pure context builder, rendered safely
(rendering), scored for readability (readability), stored privately (storage) and kept
as records that a court can be shown (models.Letter). Writes go through services.
"""
