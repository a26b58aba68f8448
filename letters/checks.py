"""Checks that a letter template fits its context builder.

- `template_problems` (cheap): the file is a Word document, its Jinja compiles in the
  sandbox, and every top-level variable it uses is one the kind's builder provides
  (docxtpl's `get_undeclared_template_variables`). The Django system check runs it on
  every registered template at start-up.
- `validate_template` (thorough): the above, then renders the invented sample family in
  several variants (parent, other recipient, with and without optional parts), opens
  each result with python-docx and scores its readability. The admin runs it on an
  uploaded replacement before accepting it; the tests run it on the shipped templates.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from typing import Any

from django.core import checks
from docx import Document
from jinja2 import TemplateError
from jinja2.exceptions import SecurityError

from . import conf, rendering, samples
from .builders_variants import sample_variant_facts, variant_builder
from .choices import LetterKind, LetterLanguage, LetterVariant
from .docxfile import document_blocks
from .readability import analyse, jargon_terms
from .registry import REGISTRY, has_shipped_template, shipped_template_name
from .welsh import with_language


def _sample_context(
    kind: str, facts: Any, language: str, variant: str = LetterVariant.STANDARD
) -> dict[str, Any]:
    """The context a letter of this kind, language and variant gets from `facts`."""
    if variant == LetterVariant.STANDARD:
        context = REGISTRY[kind].context(facts)
    else:
        build = variant_builder(kind, variant)
        if build is None:
            return {}
        context = build(facts, jargon_terms())
    return with_language(context, facts, language)


def _sample_facts(kind: str, variant: str) -> Any:
    if variant == LetterVariant.STANDARD:
        return samples.sample_facts(kind)
    return sample_variant_facts(kind, variant)


def provided_variables(
    kind: str, language: str = LetterLanguage.ENGLISH, variant: str = LetterVariant.STANDARD
) -> set[str]:
    """The top-level names the kind's builder provides in a language and variant (built
    from the sample facts): a Welsh or bilingual letter also has `cy` (letters/welsh.py);
    easy read and the young person's letter have their own builders
    (letters/builders_variants.py)."""
    return set(_sample_context(kind, _sample_facts(kind, variant), language, variant))


def template_problems(
    kind: str,
    data: bytes,
    language: str = LetterLanguage.ENGLISH,
    variant: str = LetterVariant.STANDARD,
) -> list[str]:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return ["The file is not a Word document (.docx)."]
    try:
        used = rendering.undeclared_variables(data)
    except TemplateError as error:
        return [f"The template's tags do not make sense to Jinja: {error}."]
    except Exception as error:  # a damaged package can fail in many ways inside docx
        return [f"The file could not be read as a Word document: {error}."]
    if variant != LetterVariant.STANDARD and variant_builder(kind, variant) is None:
        return [f"The {REGISTRY[kind].label.lower()} has no {variant.replace('_', ' ')} version."]
    unknown = sorted(used - provided_variables(kind, language, variant))
    if unknown:
        return [
            "The template uses variables that the "
            f"{REGISTRY[kind].label.lower()} does not provide: {', '.join(unknown)}."
        ]
    return []


def _variants(kind: str, variant: str = LetterVariant.STANDARD) -> list[Any]:
    base = _sample_facts(kind, variant)
    other = replace(
        base,
        recipient=replace(
            samples.GRANDMOTHER,
            interpreter_needed=True,
            preferred_language="Polish",
            advocate_needed=True,
        ),
    )
    bare = replace(
        base,
        details=replace(
            base.details,
            history="",
            help_given="",
            assessments=(),
            meeting_date=None,
            legal_contact_name="",
        ),
        team_manager=None,
        note="A short note.",
        nation="wales",
    )
    return [base, other, bare]


def validate_template(
    kind: str,
    data: bytes,
    language: str = LetterLanguage.ENGLISH,
    variant: str = LetterVariant.STANDARD,
) -> dict[str, Any]:
    """{"problems": [...], "readability": {...}}: no problems means it may be used. A
    Welsh or bilingual template is rendered the same way; the English readability score
    is kept for English templates only."""
    problems = template_problems(kind, data, language, variant)
    report: dict[str, Any] = {"problems": problems, "readability": {}}
    if problems:
        return report
    logo = conf.DEFAULT_LOGO.read_bytes() if conf.DEFAULT_LOGO.exists() else None
    for number, facts in enumerate(_variants(kind, variant), start=1):
        context = _sample_context(kind, facts, language, variant)
        try:
            rendered = rendering.render(data, context, logo=logo)
            blocks = document_blocks(Document(io.BytesIO(rendered.data)))
        except SecurityError as error:
            problems.append(f"The template tried something the sandbox does not allow: {error}.")
            break
        except TemplateError as error:
            problems.append(f"Rendering sample {number} failed: {error}.")
            break
        except Exception as error:  # the rendered file must open; anything else is a refusal
            problems.append(f"Sample {number} did not give a readable Word document: {error}.")
            break
        if number == 1 and language == LetterLanguage.ENGLISH:
            glossary = [entry["term"] for entry in context["glossary"]]
            report["readability"] = analyse(blocks, explained=glossary).as_dict()
    return report


def _is_image(path: Any) -> bool:
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        start = handle.read(8)
    return start == b"\x89PNG\r\n\x1a\n" or start[:3] == b"\xff\xd8\xff"


@checks.register("letters")
def letter_templates_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every registered letter kind has its shipped template, and the template uses only
    variables its builder provides."""
    errors: list[checks.CheckMessage] = []
    for kind, spec in REGISTRY.items():
        path = conf.SHIPPED_TEMPLATE_DIR / spec.template_name
        if not path.exists():
            errors.append(
                checks.Error(
                    f"The template for '{kind}' is missing: {path}.",
                    hint="Run `python -m letters.build_templates` to build the shipped templates.",
                    id="letters.E001",
                )
            )
            continue
        for problem in template_problems(kind, path.read_bytes()):
            errors.append(
                checks.Error(
                    f"The template for '{kind}' ({spec.template_name}) cannot be used: {problem}",
                    hint="Change the template, or the context builder in letters/builders.py.",
                    id="letters.E002",
                )
            )
    # Every other shipped file: the Welsh and bilingual letters, easy read, the young
    # person's letter.
    others = [
        (kind, language, variant)
        for kind in REGISTRY
        for language in LetterLanguage.values
        for variant in LetterVariant.values
        if (language, variant) != (LetterLanguage.ENGLISH, LetterVariant.STANDARD)
    ]
    for kind, language, variant in others:
        if not has_shipped_template(kind, language, variant):
            continue
        name = shipped_template_name(kind, language, variant)
        data = (conf.SHIPPED_TEMPLATE_DIR / name).read_bytes()
        for problem in template_problems(kind, data, language, variant):
            errors.append(
                checks.Error(
                    f"The template for '{kind}' ({name}) cannot be used: {problem}",
                    hint="Change the template (letters/build_templates_cy.py, "
                    "letters/build_easy_read.py), or its builder (letters/welsh.py, "
                    "letters/builders_variants.py).",
                    id="letters.E002",
                )
            )
    logo = conf.council_logo()
    if not _is_image(logo):
        errors.append(
            checks.Error(
                f"The council logo for letters is missing or not a PNG or JPEG image: {logo}.",
                hint="Set LEGALTRACKER_COUNCIL_LOGO to a PNG or JPEG file, or leave it empty for "
                "the default.",
                id="letters.E004",
            )
        )
    pdf_limit, web_limit = conf.pdf_timeout_seconds(), conf.web_timeout_seconds()
    if pdf_limit <= 0 or pdf_limit + conf.PDF_REQUEST_MARGIN_SECONDS > web_limit:
        errors.append(
            checks.Error(
                f"LETTERS_PDF_TIMEOUT ({pdf_limit} s) must be positive and at least "
                f"{conf.PDF_REQUEST_MARGIN_SECONDS} s shorter than WEB_TIMEOUT ({web_limit} s).",
                hint="A PDF is made inside a web request: a longer conversion is killed with "
                "its web worker. WEB_TIMEOUT is gunicorn's --timeout (docs/operations.md).",
                id="letters.E005",
            )
        )
    missing = set(LetterKind.values) - set(REGISTRY)
    for kind in sorted(missing):
        errors.append(
            checks.Error(f"The letter kind '{kind}' has no registered template.", id="letters.E003")
        )
    return errors


def invented_details_in_letters() -> list[str]:
    """What of the invented council or solicitors would go into letters now (empty when
    the council's own details are set)."""
    found = []
    details = conf.council()
    invented = conf.DEFAULT_COUNCIL
    for key, label in (("name", "name"), ("phone", "phone number"), ("address", "address")):
        if details.get(key) == invented[key]:
            found.append(f"the council's {label} ({_shown(invented[key])})")
    invented_firms = {s["name"] for s in conf.DEFAULT_SOLICITORS}
    invented_phones = {s["phone"] for s in conf.DEFAULT_SOLICITORS}
    for solicitor in conf.solicitors():
        if solicitor.get("name") in invented_firms or solicitor.get("phone") in invented_phones:
            found.append(f"the local solicitor '{solicitor.get('name')}'")
    return found


def _shown(value: Any) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


@checks.register(checks.Tags.database, "letters")
def council_details_check(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """With the production settings, an error (the release stops) while the invented
    council or its invented solicitors would go into letters.

    It reads the council's row, so it is a database check: `migrate` and
    `manage.py check --database default` run it (docs/council-details.md)."""
    if not databases or not conf.is_production():
        return []
    from django.db import DatabaseError

    try:
        found = invented_details_in_letters()
    except DatabaseError:
        # Before the first `migrate` there is no table to keep the council's details in.
        return []
    if not found:
        return []
    return [
        checks.Error(
            "Letters would carry invented details: " + "; ".join(found) + ".",
            hint="Enter the council's own details and its local children-law solicitors in "
            "the admin (Letters: council details, local solicitors), or set the "
            "LEGALTRACKER_COUNCIL_* settings (docs/council-details.md).",
            id="letters.E006",
        )
    ]
