"""Rendering a Word template with a letter's context, safely.

- The Jinja environment is sandboxed (an uploaded template cannot reach Python
  internals), autoescapes, and refuses undefined variables (a misspelt name is an
  error, not a blank in a letter to a family).
- Every string value is cleaned first: XML-illegal characters and lone surrogates are
  removed (docxtpl turns a pasted form feed into a page break and BEL into a new
  paragraph; a lone surrogate cut the rest of a paragraph), line endings become "\\n".
- Values are text, never template code: each one is XML-escaped, and its braces are
  written as character references so that docxtpl's own post-processing (which turns
  "{_{" back into "{{") cannot change what a person typed.
- The file is a reproducible zip: the same template and context give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from legaltracker.core.text import clean_text

from .docxfile import document_blocks, open_template, save_reproducible

_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def clean_value(value: str) -> str:
    """A string as it may go into a letter: one kind of line ending, nothing illegal."""
    return clean_text(_NEWLINES.sub("\n", value))


def clean_context(value: Any) -> Any:
    """Clean every string in a JSON-like value (dict keys included)."""
    if isinstance(value, str):
        return clean_value(value)
    if isinstance(value, Mapping):
        return {clean_value(str(k)): clean_context(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_context(v) for v in value]
    return value


def _digest(source: str) -> bytes:
    """A short key for a part's XML (the caches keep this, not the whole text)."""
    return hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=20).digest()


def _as_literal_text(value: Any) -> Any:
    """`finalize`: plain values become escaped text with their braces neutralised;
    objects that render their own markup (the logo) pass through."""
    if hasattr(value, "__html__"):
        return value
    if value is None:
        # StrictUndefined catches missing names; a None is a builder's bug made visible.
        raise ValueError("A letter value is None: the context builder must give text.")
    text = str(escape(str(value)))
    # Escaped on the line above: the braces become character references, nothing else.
    return Markup(text.replace("{", "&#123;").replace("}", "&#125;"))  # noqa: S704


class LetterEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, remembering what it compiled.

    docxtpl compiles each part of the template (body, headers, footers, properties) from
    its XML on every render; the XML of a given template is the same every time, so the
    compiled form is kept (most recently used first, a bounded number).
    """

    cache_limit = 256

    def __init__(self, **options: Any):
        super().__init__(**options)
        self._compiled: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        with self._lock:
            template = self._compiled.get(source)
            if template is not None:
                self._compiled.move_to_end(source)
                return template
        template = super().from_string(source)
        with self._lock:
            self._compiled[source] = template
            while len(self._compiled) > self.cache_limit:
                self._compiled.popitem(last=False)
        return template


def letter_environment() -> LetterEnvironment:
    return LetterEnvironment(autoescape=True, undefined=StrictUndefined, finalize=_as_literal_text)


ENVIRONMENT = letter_environment()


class _Template(DocxTemplate):
    """docxtpl's template, remembering its XML preparation.

    Before rendering, docxtpl rewrites each part's XML with a series of regular
    expressions (`patch_xml`: merging the runs of split tags, `{%p %}` and `{%tr %}`
    tags, ...). The result depends only on the template's XML, so it is kept per input,
    like the compiled Jinja templates in `LetterEnvironment`.
    """

    _patched: OrderedDict[bytes, str] = OrderedDict()
    _patched_lock = threading.Lock()
    _patched_limit = 64
    # Set by DocxTemplate.__init__ (declared for mypy: docxtpl's are untyped).
    docx: Any
    is_rendered: bool

    def __init__(self, template_data: bytes):
        super().__init__(io.BytesIO(template_data))
        self._template_data = template_data

    def init_docx(self, reload: bool = True) -> None:
        # As docxtpl's, reading the template through `open_template`, which reads the
        # parts no letter changes once per template.
        if not self.docx or (self.is_rendered and reload):
            self.docx = open_template(self._template_data)
            self.is_rendered = False

    def patch_xml(self, src_xml: str) -> str:
        key = _digest(src_xml)
        with self._patched_lock:
            found = self._patched.get(key)
            if found is not None:
                self._patched.move_to_end(key)
                return found
        patched: str = super().patch_xml(src_xml)
        with self._patched_lock:
            self._patched[key] = patched
            while len(self._patched) > self._patched_limit:
                self._patched.popitem(last=False)
        return patched


class _Logo(InlineImage):
    """The council's logo, with alternative text for screen readers."""

    def __init__(self, tpl: DocxTemplate, data: bytes, alt: str):
        super().__init__(tpl, io.BytesIO(data), height=Mm(16))
        self.alt = str(escape(alt))

    def _insert_image(self) -> str:
        xml: str = super()._insert_image()
        return xml.replace("<wp:docPr ", f'<wp:docPr descr="{self.alt}" ', 1)


@dataclass(frozen=True)
class Rendered:
    data: bytes
    sha256: str
    blocks: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.blocks)


def undeclared_variables(template_data: bytes) -> set[str]:
    """The top-level names a template uses (docxtpl's undeclared-variable check)."""
    return set(_Template(template_data).get_undeclared_template_variables(jinja_env=ENVIRONMENT))


def render(
    template_data: bytes, context: Mapping[str, Any], *, logo: bytes | None, logo_alt: str = "Logo"
) -> Rendered:
    """Render the template with the (cleaned) context; the logo replaces `logo`."""
    values = clean_context(dict(context))
    tpl = _Template(template_data)
    values["logo"] = _Logo(tpl, logo, logo_alt) if logo else ""
    tpl.render(values, jinja_env=ENVIRONMENT)
    # No docxtpl media replacement is used, so its save() would only add a second pass.
    data = save_reproducible(tpl.docx)
    return Rendered(
        data=data, sha256=hashlib.sha256(data).hexdigest(), blocks=document_blocks(tpl.docx)
    )
