"""Names for the letters' enums in the OpenAPI schema.

Several bodies have a `status` or a `kind` with different choice sets; without names,
drf-spectacular invents hashed ones and warns. The project's SPECTACULAR_SETTINGS
includes these in its ENUM_NAME_OVERRIDES (the lead wires them in settings).
"""

ENUM_NAME_OVERRIDES = {
    "LetterKindEnum": "letters.choices.LetterKind",
    "LetterStatusEnum": "letters.choices.LetterStatus",
    "ExpectationStatusEnum": "letters.choices.ExpectationStatus",
    "SendMethodEnum": "letters.choices.SendMethod",
}
