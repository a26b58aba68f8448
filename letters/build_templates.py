"""Build the shipped Word templates and the invented council's logo, reproducibly.

    python -m letters.build_templates          # writes templates/letters/docx/*

Each template is a real .docx that a council can open and restyle in Word or
LibreOffice: Arial 12 point or larger, headings as Heading 1-3 styles, the schedule of
expectations as a table with a repeating header row, a banner and a glossary box. The
Jinja tags inside are docxtpl's (`{%p ... %}` for paragraphs, `{%tr ... %}` for table
rows). Running the script twice gives byte-identical files (fixed dates, fixed zip
times), so a change to a template shows in review as a change to this script.

The wording follows docs/domain/letters.md: short sentences, everyday words, "we" and
"you", dates written out, the letter before proceedings in its nine-part order.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import sys
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

from .docxfile import reproducible_zip

OUT_DIR = Path(__file__).resolve().parent.parent / "templates" / "letters" / "docx"
FIXED = dt.datetime(2026, 1, 1, 0, 0, 0, tzinfo=dt.UTC)
FONT = "Arial"

Run = tuple[str, bool]  # (text, bold)


# --- the document's look -------------------------------------------------------------


def _plain_fonts(style_element) -> None:
    """Arial everywhere: drop theme font references that would override it."""
    rpr = style_element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{attribute}"), FONT)


def _styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.size = Pt(12)
    _plain_fonts(normal.element)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Heading 1", 22), ("Heading 2", 16), ("Heading 3", 13)):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
        _plain_fonts(style.element)
        style.paragraph_format.space_before = Pt(14 if size > 13 else 10)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    for name in ("List Bullet", "Table Grid", "Header", "Footer"):
        _plain_fonts(styles[name].element)
    # British English for spelling and screen readers.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-GB")
    lang.set(qn("w:eastAsia"), "en-GB")


def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(1.8)
    section.different_first_page_header_footer = True


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the reader's program fills in."""
    for kind, text in (("begin", None), (None, instruction), ("end", None)):
        run = paragraph.add_run()
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._r.append(element)


def _headers(doc) -> None:
    section = doc.sections[0]
    first = section.first_page_header
    first.paragraphs[0].add_run("{{ logo }}")
    name = first.add_paragraph()
    name.add_run("{{ council.name }}").bold = True
    first.add_paragraph("{{ council.department }}")
    later = section.header.paragraphs[0]
    later.add_run("{{ council.name }}. Our reference: {{ reference }}")
    for footer in (section.first_page_footer, section.footer):
        line = footer.paragraphs[0]
        line.add_run("{{ council.name }}, {{ council.address_line }}. Phone {{ council.phone }}.")
        pages = footer.add_paragraph("Page ")
        _field(pages, "PAGE")
        pages.add_run(" of ")
        _field(pages, "NUMPAGES")


def new_document(title: str):
    doc = Document()
    _styles(doc)
    _page(doc)
    _headers(doc)
    props = doc.core_properties
    props.title = title
    props.author = "legaltracker"
    props.last_modified_by = "legaltracker"
    props.language = "en-GB"
    props.subject = "Letter to a family"
    props.comments = "Built by letters/build_templates.py. Jinja tags are docxtpl's."
    props.keywords = ""
    props.created = props.modified = FIXED
    props.last_printed = FIXED
    props.revision = 1
    # python-docx's default document starts with no paragraphs in the body.
    return doc


# --- building blocks ---------------------------------------------------------------------


def para(doc, *runs: str | Run, style: str | None = None):
    paragraph = doc.add_paragraph(style=style)
    for run in runs:
        text, bold = (run, False) if isinstance(run, str) else run
        paragraph.add_run(text).bold = bold or None
    return paragraph


def tag(doc, text: str) -> None:
    """A paragraph holding only a docxtpl tag ({%p if ... %}); docxtpl removes it."""
    doc.add_paragraph(text)


def heading(doc, text: str, level: int) -> None:
    doc.add_heading(text, level=level)


def bullets(doc, loop: str, item: str | Sequence[str | Run]) -> None:
    tag(doc, "{%p for " + loop + " %}")
    runs: list[str | Run] = [item] if isinstance(item, str) else list(item)
    para(doc, *runs, style="List Bullet")
    tag(doc, "{%p endfor %}")


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _table_caption(table, caption: str) -> None:
    # Alternative text for the table (Word: Table Properties > Alt Text).
    properties = table._tbl.tblPr
    element = OxmlElement("w:tblCaption")
    element.set(qn("w:val"), caption)
    properties.append(element)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    properties.append(element)


def _keep_row_on_one_page(row) -> None:
    # A requirement and its date stay together: a row never breaks across two pages.
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def _runs(paragraph, runs: Sequence[str | Run]) -> None:
    for run in runs:
        text, bold = (run, False) if isinstance(run, str) else run
        paragraph.add_run(text).bold = bold or None


def loop_table(
    doc,
    caption: str,
    loop: str,
    columns: Sequence[tuple[str, float, Sequence[Sequence[str | Run]]]],
) -> None:
    """A table with a header row (repeated on each page) and one row per item, each row
    kept on one page.

    `columns`: (header text, width in cm, paragraphs of the cell: each a list of runs).
    """
    table = doc.add_table(rows=4, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_caption(table, caption)
    header, opener, body, closer = table.rows
    _repeat_header(header)
    _keep_row_on_one_page(body)
    for index, (title, width, paragraphs) in enumerate(columns):
        for row in table.rows:
            row.cells[index].width = Cm(width)
        _runs(header.cells[index].paragraphs[0], [(title, True)])
        _shade(header.cells[index], "E8E8E8")
        cell = body.cells[index]
        _runs(cell.paragraphs[0], paragraphs[0])
        for extra in paragraphs[1:]:
            _runs(cell.add_paragraph(), extra)
    opener.cells[0].paragraphs[0].add_run("{%tr for " + loop + " %}")
    closer.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    doc.add_paragraph()


def box(
    doc,
    caption: str,
    fill: str,
    fill_paragraphs: Callable[[object], None],
    *,
    keep_together: bool = False,
) -> None:
    """A one-cell table used as a box (the banner, the glossary). `keep_together`: the
    box never breaks across two pages (its row cannot split, and each of its
    paragraphs keeps with the next)."""
    table = doc.add_table(rows=1, cols=1)
    table.style = "Table Grid"
    table.autofit = False
    _table_caption(table, caption)
    cell = table.rows[0].cells[0]
    cell.width = Cm(17.0)
    _shade(cell, fill)
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    fill_paragraphs(cell)
    if keep_together:
        _keep_row_on_one_page(table.rows[0])
        for paragraph in cell.paragraphs[:-1]:
            keep_with_next(paragraph)
    doc.add_paragraph()


def keep_with_next(paragraph) -> None:
    """Word and LibreOffice put this paragraph on the same page as the next one."""
    paragraph.paragraph_format.keep_with_next = True


def _cell_para(cell, *runs: str | Run, style: str | None = None):
    paragraph = cell.add_paragraph(style=style)
    for run in runs:
        text, bold = (run, False) if isinstance(run, str) else run
        paragraph.add_run(text).bold = bold or None
    return paragraph


# --- parts shared by several letters ------------------------------------------------------


def opening(doc, title: str) -> None:
    para(doc, "{{ recipient.name }}")
    para(doc, "{{ recipient.address }}")
    para(doc, "{{ letter_date }}")
    para(doc, ("Our reference: ", True), "{{ reference }}")
    heading(doc, title, 1)


def legal_help_banner(doc, *, court_case: bool) -> None:
    """Section 6, item 1: do not ignore this letter; free legal advice for PR holders."""

    def fill(cell) -> None:
        _cell_para(cell, "{%p if recipient.has_pr %}")
        _cell_para(cell, ("Do not ignore this letter. Take it to a solicitor now.", True))
        if court_case:
            _cell_para(cell, ("Legal help is free for you in this court case.", True))
        else:
            _cell_para(cell, ("Legal advice is free for you.", True))
        _cell_para(cell, ("It does not matter how much money you have.", True))
        _cell_para(cell, "This free help is called legal aid.")
        _cell_para(cell, "Show this letter to the solicitor. It means they can help you for free.")
        _cell_para(cell, "{%p else %}")
        _cell_para(cell, ("Please read this letter with care.", True))
        _cell_para(cell, "You may want to talk to a solicitor about it.")
        _cell_para(cell, "{%p endif %}")

    box(doc, "Important: get legal advice", "FFF2CC", fill)


def greeting(doc) -> None:
    para(doc, "Dear {{ recipient.name }},")


def note_section(doc) -> None:
    tag(doc, "{%p if note.has %}")
    heading(doc, "A message from your social worker", 2)
    para(doc, "{{ note.text }}")
    tag(doc, "{%p endif %}")


def who_to_talk_to(doc, *, solicitors: bool = True) -> None:
    heading(doc, "Who to talk to", 2)
    para(
        doc,
        "Your social worker is {{ social_worker.name }}. "
        "Call {{ council.phone }} and ask for them.",
    )
    tag(doc, "{%p if social_worker.email %}")
    para(doc, ("Email: ", True), "{{ social_worker.email }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if team_manager.has %}")
    para(doc, "Their manager is {{ team_manager.name }}.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if legal.has %}")
    para(doc, "Our lawyer is {{ legal.name }}. Your solicitor can call them on {{ legal.phone }}.")
    para(doc, "Please ask your solicitor to use our reference: {{ legal.reference }}.")
    tag(doc, "{%p endif %}")
    if solicitors:
        heading(doc, "Solicitors near you", 3)
        tag(doc, "{%p if recipient.has_pr %}")
        para(doc, "These solicitors help parents in cases like this. Their help is free for you.")
        tag(doc, "{%p else %}")
        para(doc, "These solicitors help families in cases like this.")
        tag(doc, "{%p endif %}")
        bullets(
            doc,
            "s in solicitors",
            [("{{ s.name }}", True), ", {{ s.address }}. Phone {{ s.phone }}."],
        )


def glossary(doc) -> None:
    tag(doc, "{%p if glossary %}")

    def fill(cell) -> None:
        _cell_para(cell, ("Words we use in this letter", True))
        _cell_para(cell, "{%p for g in glossary %}")
        _cell_para(cell, ("{{ g.term }}: ", True), "{{ g.meaning }}.")
        _cell_para(cell, "{%p endfor %}")

    box(doc, "Words we use in this letter", "EAF2FB", fill, keep_together=True)
    tag(doc, "{%p endif %}")


def sign_off(doc) -> None:
    """The closing lines, kept on one page with the sentence before them, so that no page
    holds only the signature."""
    keep_with_next(para(doc, "If you have any questions, please call us on {{ council.phone }}."))
    keep_with_next(para(doc, "Yours sincerely,"))
    keep_with_next(para(doc, "{{ social_worker.name }}"))
    para(doc, "Social worker, {{ team_name }}")
    tag(doc, "{%p if signatory.has %}")
    keep_with_next(para(doc, "{{ signatory.name }}"))
    para(doc, "{{ signatory.role }}, {{ council.name }}")
    tag(doc, "{%p endif %}")


def other_formats(doc) -> None:
    heading(doc, "This letter in another way", 3)
    keep_with_next(para(doc, "We can send you this letter in easy read or in large print."))
    tag(doc, '{%p if nation == "wales" %}')
    keep_with_next(para(doc, "We can send it in Welsh, or in another language."))
    tag(doc, "{%p else %}")
    keep_with_next(para(doc, "We can send it in another language."))
    tag(doc, "{%p endif %}")
    para(doc, "Just ask us.")


def expectations_table(doc) -> None:
    loop_table(
        doc,
        "What needs to change, and by when",
        "e in expectations",
        [
            ("What needs to happen", 4.2, [[("{{ e.who }}", True)], ["{{ e.action }}"]]),
            ("Why it matters", 3.4, [["{{ e.why }}"]]),
            ("The help we will give", 3.4, [["{{ e.help }}"]]),
            ("How we will know", 3.4, [["{{ e.how }}"]]),
            ("By when", 2.6, [[("{{ e.due }}", True)]]),
        ],
    )


def meeting_details(doc) -> None:
    para(doc, ("Date: ", True), "{{ meeting.date }}")
    para(doc, ("Time: ", True), "{{ meeting.time }}")
    tag(doc, "{%p if meeting.place %}")
    para(doc, ("Place: ", True), "{{ meeting.place }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if meeting.is_video %}")
    para(doc, ("Video link: ", True), "{{ meeting.video_link }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if meeting.attendees %}")
    para(doc, ("Who will be there:", True))
    bullets(doc, "a in meeting.attendees", "{{ a }}")
    tag(doc, "{%p endif %}")


def interpreter_and_advocate(doc) -> None:
    tag(doc, "{%p if recipient.interpreter %}")
    para(
        doc,
        "We know you would like an interpreter who speaks {{ recipient.language }}. "
        "We will book one for you.",
    )
    tag(doc, "{%p else %}")
    para(doc, "If you need an interpreter, please tell us. We will book one for you.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if recipient.advocate %}")
    para(
        doc,
        "We know you would like an advocate to help you say what you think. "
        "We will find one for you.",
    )
    tag(doc, "{%p else %}")
    para(
        doc,
        "If you would like help to say what you think, please tell us. "
        "We can find you an advocate.",
    )
    tag(doc, "{%p endif %}")


# --- the letters ----------------------------------------------------------------------------


def letter_before_proceedings(*, unborn: bool) -> DocxDocument:
    """docs/domain/letters.md: the nine parts, in order."""
    doc = new_document("Letter before proceedings")
    opening(doc, "Letter before proceedings")
    # 1. The banner.
    legal_help_banner(doc, court_case=False)
    greeting(doc)
    # 2. Which children; that we may ask a court; what a court could decide.
    heading(doc, "Why we are writing to you", 2)
    if unborn:
        para(doc, "This letter is about {{ children_first }}. The baby is due on {{ baby.due }}.")
        para(doc, "We are very worried about how safe your baby will be after the birth.")
        para(
            doc,
            "We are thinking about asking a court to decide what should happen to "
            "your baby after the birth.",
        )
    else:
        para(doc, "This letter is about:")
        bullets(
            doc,
            "c in children",
            [("{{ c.name }}", True), "{% if c.born %}, {{ c.born }}{% endif %}"],
        )
        para(doc, "We are very worried about {{ children_first }}.")
        para(doc, "We are thinking about asking a court to decide what should happen to them.")
    para(doc, "We want to work with you so that this does not need to happen.")
    para(doc, "We call this a letter before proceedings.")
    heading(doc, "What a court could decide", 3)
    para(doc, "A judge would listen to you and to us. Then the judge could decide that:")
    who = "{{ children_first }}"
    for line in (
        f"{who} should stay with you, and we should help and check on you. "
        "This is called a supervision order.",
        f"{who} should live with someone else in your family, or with a friend.",
        f"{who} should live with foster carers.",
        f"we can decide where {who} should live. This is called a care order.",
    ):
        para(doc, line, style="List Bullet")
    # 3. Why we are worried: the concerns, the history, the help already given.
    heading(doc, "Why we are worried", 2)
    para(doc, "{{ concerns }}")
    tag(doc, "{%p if history %}")
    heading(doc, "What has happened so far", 3)
    para(doc, "{{ history }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if help_given %}")
    heading(doc, "The help we have given you", 3)
    para(doc, "{{ help_given }}")
    tag(doc, "{%p endif %}")
    # 4. What must change: the schedule of expectations, one row each.
    heading(doc, "What needs to change", 2)
    para(
        doc,
        "The table shows what needs to change. It shows the help we will give you. "
        "It also shows the date for each thing.",
    )
    expectations_table(doc)
    para(doc, "We will check how things are going at meetings with you.")
    # 5. The assessments proposed: why, what, who, when.
    heading(doc, "Checks we want to make", 2)
    tag(doc, "{%p if assessments %}")
    para(
        doc,
        "We want to find out more about how things are for {{ children_first }}. "
        "We call this an assessment.",
    )
    loop_table(
        doc,
        "Checks we want to make",
        "a in assessments",
        [
            ("What we will look at", 5.0, [["{{ a.what }}"]]),
            ("Why", 4.5, [["{{ a.why }}"]]),
            ("Who will do it", 4.0, [["{{ a.who }}"]]),
            ("When", 3.5, [[("{{ a.when }}", True)]]),
        ],
    )
    tag(doc, "{%p else %}")
    para(doc, "We do not plan any new checks at the moment. We will tell you if this changes.")
    tag(doc, "{%p endif %}")
    # 6. The family meeting offer (England), and how to accept it.
    tag(doc, "{%p if fgdm.offer %}")
    heading(doc, "A family meeting", 2)
    para(doc, "We would like to help your family hold a family meeting.")
    para(doc, "At a family meeting, your family and friends make a plan for {{ children_first }}.")
    para(doc, "You choose who comes. Someone who does not work on your case will run it.")
    para(doc, "You do not have to pay for it.")
    para(doc, ("How to say yes: ", True), "{{ fgdm.how_to_accept }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if family_network.offer %}")
    heading(doc, "A family network meeting", 2)
    para(doc, "We would like to help your family hold a family network meeting.")
    para(doc, "At the meeting, your family and friends make a plan for {{ children_first }}.")
    para(doc, "You choose who comes. You do not have to pay for it.")
    para(doc, "Please tell us if you would like one.")
    tag(doc, "{%p endif %}")
    heading(doc, "Family and friends who could help", 2)
    para(doc, "Is there someone in your family who could help you? It could be a friend.")
    para(doc, "They might help you each day. They might care for {{ children_first }} if needed.")
    para(doc, "Please tell us who they are, and how to reach them.")
    # 7. The meeting.
    heading(doc, "Come to a meeting with us", 2)
    tag(doc, "{%p if meeting.has %}")
    para(doc, "We would like to meet you to talk about this letter.")
    meeting_details(doc)
    tag(doc, "{%p else %}")
    para(
        doc,
        "We would like to meet you to talk about this letter. We will write to you with the date.",
    )
    tag(doc, "{%p endif %}")
    para(doc, "Please bring your solicitor. Your solicitor can come to the meeting with you.")
    para(doc, "You can also bring a friend or someone from your family to support you.")
    heading(doc, "Please tell us if you can come", 3)
    tag(doc, "{%p if reply.by %}")
    para(doc, "Please call us on {{ reply.phone }} by {{ reply.by }}.")
    tag(doc, "{%p else %}")
    para(doc, "Please call us on {{ reply.phone }}.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if reply.email %}")
    para(doc, "Or you can email {{ reply.email }}.")
    tag(doc, "{%p endif %}")
    para(doc, "If you cannot come on that day, please tell us as soon as you can.")
    para(doc, "We will find another time. Please still come if you can.")
    interpreter_and_advocate(doc)
    # 8. What happens next.
    heading(doc, "What happens next", 2)
    para(
        doc,
        "If things get better, we will not go to court. We will keep working with you "
        "to help your family.",
    )
    para(
        doc,
        "If things do not get better, we may ask a court to decide. We will tell you "
        "before we do this.",
    )
    para(doc, "If we think a child is not safe, we may have to go to court straight away.")
    tag(doc, "{%p if timetable %}")
    heading(doc, "Our dates", 3)
    para(doc, "These are the dates we plan to meet, and the date we will decide:")
    bullets(doc, "t in timetable", [("{{ t.date }}: ", True), "{{ t.what }}."])
    tag(doc, "{%p endif %}")
    note_section(doc)
    # 9. Who to talk to, and the local solicitors.
    who_to_talk_to(doc)
    other_formats(doc)
    glossary(doc)
    sign_off(doc)
    return doc


def gateway_outcome() -> DocxDocument:
    doc = new_document("Our decision about going to court")
    opening(doc, "Our decision: we will not go to court now")
    greeting(doc)
    heading(doc, "What we decided", 2)
    para(doc, "On {{ gateway.date }}, we held a meeting about {{ children_first }}.")
    para(doc, "We looked at how things are going for them.")
    para(doc, "We have decided not to ask a court to make decisions about them now.")
    para(doc, "The plan we have made with you will carry on.")
    heading(doc, "What this means for you", 2)
    para(doc, "Your social worker will keep working with you.")
    para(doc, "Please keep going to meetings about the plan.")
    tag(doc, "{%p if expectations %}")
    heading(doc, "What we still need you to do", 2)
    para(doc, "The table shows what still needs to happen, and by when.")
    expectations_table(doc)
    tag(doc, "{%p endif %}")
    heading(doc, "If we become more worried", 2)
    para(doc, "If we become more worried, we may hold another meeting like this one.")
    para(doc, "We will tell you if this happens.")
    note_section(doc)
    who_to_talk_to(doc, solicitors=False)
    glossary(doc)
    sign_off(doc)
    return doc


def review_outcome() -> DocxDocument:
    doc = new_document("How things are going")
    opening(doc, "How things are going")
    greeting(doc)
    heading(doc, "Our meeting", 2)
    para(doc, "On {{ review.date }}, we met to check how things are going.")
    para(doc, "Thank you for talking with us.")
    heading(doc, "What we found", 2)
    para(doc, "The table shows each thing that needed to change. It shows how it is going.")
    loop_table(
        doc,
        "How each change is going",
        "e in expectations",
        [
            ("What needs to happen", 5.0, [[("{{ e.who }}", True)], ["{{ e.action }}"]]),
            ("By when", 3.0, [["{{ e.due }}"]]),
            ("How it is going", 2.8, [[("{{ e.status }}", True)]]),
            ("What we said", 6.2, [["{{ e.review_note }}"]]),
        ],
    )
    tag(doc, "{%p if extension.has %}")
    heading(doc, "We are giving you more time", 2)
    para(doc, "We have decided to give you more time to make these changes.")
    para(doc, "We will now decide what to do by {{ extension.new_end }}.")
    para(doc, ("Why: ", True), "{{ extension.reason }}")
    tag(doc, "{%p endif %}")
    heading(doc, "Our next meeting", 2)
    tag(doc, "{%p if meeting.has %}")
    meeting_details(doc)
    para(doc, "Please bring your solicitor.")
    tag(doc, "{%p else %}")
    para(doc, "We will write to you with the date of our next meeting.")
    tag(doc, "{%p endif %}")
    heading(doc, "What happens next", 2)
    tag(doc, "{%p if progress.all_done %}")
    para(doc, "You have done all the things we asked. Well done.")
    para(doc, "If things keep getting better, we will not go to court.")
    tag(doc, "{%p else %}")
    tag(doc, "{%p if progress.any_not_done %}")
    para(doc, "Some things have not been done. We are still worried about this.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if progress.any_partly %}")
    para(doc, "Some things are only partly done. Please keep working on them.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if progress.any_not_due %}")
    para(doc, "Some things are not due yet. Please keep going with them.")
    tag(doc, "{%p endif %}")
    para(doc, "Each thing needs to be done by the date in the table.")
    tag(doc, "{%p endif %}")
    para(
        doc,
        "If things do not get better, we may ask a court to decide. We will tell you "
        "before we do this.",
    )
    note_section(doc)
    who_to_talk_to(doc, solicitors=False)
    glossary(doc)
    sign_off(doc)
    return doc


def end_of_pre_proceedings() -> DocxDocument:
    doc = new_document("We will not go to court")
    opening(doc, "We will not go to court")
    greeting(doc)
    heading(doc, "What we decided", 2)
    tag(doc, "{%p if lbp.has %}")
    para(doc, "On {{ lbp.date }}, we sent you a letter before proceedings.")
    para(doc, "It said we were thinking about asking a court to decide about {{ children_first }}.")
    tag(doc, "{%p endif %}")
    para(doc, "We have now decided not to go to court.")
    para(doc, "Thank you for the changes you have made.")
    heading(doc, "What happens now", 2)
    tag(doc, "{%p if plan.has %}")
    para(doc, "From {{ ended_on }}, {{ children_first }} will have {{ plan.name }}.")
    tag(doc, "{%p endif %}")
    para(doc, "{{ plan.sentence }}")
    para(doc, "Your social worker will tell you what happens next.")
    heading(doc, "If we become worried again", 2)
    para(doc, "If we become worried again, we will talk to you first.")
    para(doc, "We might need to write to you again.")
    note_section(doc)
    who_to_talk_to(doc, solicitors=False)
    glossary(doc)
    sign_off(doc)
    return doc


def letter_of_issue() -> DocxDocument:
    doc = new_document("We are asking a court to decide")
    opening(doc, "We are asking a court to decide")
    legal_help_banner(doc, court_case=True)
    greeting(doc)
    heading(doc, "What we have decided", 2)
    para(
        doc, "We have decided to ask the family court to make decisions about {{ children_first }}."
    )
    para(doc, "We made this decision on {{ decision_date }}.")
    tag(doc, "{%p if issued.has %}")
    para(doc, "We sent our papers to the court on {{ issued.date }}.")
    tag(doc, "{%p if issued.court_reference %}")
    para(doc, ("The court's reference is: ", True), "{{ issued.court_reference }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p else %}")
    para(doc, "We will send our papers to the court by {{ application_due }}.")
    tag(doc, "{%p endif %}")
    heading(doc, "Why we are doing this", 2)
    tag(doc, "{%p if lbp.has %}")
    para(doc, "We wrote to you about our worries on {{ lbp.date }}.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if concerns %}")
    para(doc, "{{ concerns }}")
    tag(doc, "{%p endif %}")
    para(doc, "We think a judge now needs to decide what is best for {{ children_first }}.")
    heading(doc, "What happens next", 2)
    tag(doc, "{%p if issued.has %}")
    para(doc, "With this letter, we send you a copy of our papers to the court.")
    para(doc, "We send them to you, not the court.")
    tag(doc, "{%p else %}")
    para(doc, "We will send you a copy of our papers when we send them to the court.")
    para(doc, "We do this, not the court.")
    tag(doc, "{%p endif %}")
    para(doc, "Please read them with your solicitor.")
    heading(doc, "The first hearing", 3)
    tag(doc, "{%p if hearing.has %}")
    para(doc, "The first hearing is on {{ hearing.date }}.")
    tag(doc, "{%p if hearing.time %}")
    para(doc, "It starts at {{ hearing.time }}.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if hearing.court %}")
    para(doc, "It is at {{ hearing.court }}.")
    tag(doc, "{%p else %}")
    para(doc, "The court will tell you where it is.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p else %}")
    para(
        doc, "The court will set a date for the first hearing. This is usually within three weeks."
    )
    para(doc, "The court will write to tell you the date, the time and the place.")
    tag(doc, "{%p endif %}")
    para(doc, "Sometimes a judge needs to see us sooner than that. This is an urgent hearing.")
    para(doc, "If this happens, we will tell you straight away.")
    para(doc, "Please go to every hearing. You can say what you think.")
    para(
        doc,
        "The court will choose a children's guardian for {{ children_first }}. "
        "The guardian does not work for us.",
    )
    para(doc, "A judge could make a care order. The judge will listen to you first.")
    heading(doc, "We will still work with you", 2)
    para(doc, "Your social worker will keep working with you while the court case goes on.")
    interpreter_and_advocate(doc)
    tag(doc, "{%p if enclosures %}")
    heading(doc, "What comes with this letter", 2)
    bullets(doc, "x in enclosures", "{{ x }}")
    tag(doc, "{%p endif %}")
    note_section(doc)
    who_to_talk_to(doc)
    glossary(doc)
    sign_off(doc)
    return doc


TEMPLATES: dict[str, Callable[[], DocxDocument]] = {
    "letter_before_proceedings.docx": lambda: letter_before_proceedings(unborn=False),
    "letter_before_proceedings_unborn.docx": lambda: letter_before_proceedings(unborn=True),
    "gateway_outcome.docx": gateway_outcome,
    "review_outcome.docx": review_outcome,
    "end_of_pre_proceedings.docx": end_of_pre_proceedings,
    "letter_of_issue.docx": letter_of_issue,
}


# --- the invented council's logo ------------------------------------------------------------


def _png(width: int, height: int, pixel: Callable[[int, int], tuple[int, int, int, int]]) -> bytes:
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def logo_png() -> bytes:
    """A teal disc with three white waves (a brook, for Eastbrook) on a clear ground."""
    import math

    size = 240
    centre = radius = size / 2

    def pixel(x: int, y: int) -> tuple[int, int, int, int]:
        dx, dy = x + 0.5 - centre, y + 0.5 - centre
        if dx * dx + dy * dy > (radius - 2) ** 2:
            return (255, 255, 255, 0)
        for band in (-45, 0, 45):
            wave = band + 14 * math.sin((x / size) * 2 * math.pi * 1.5)
            if abs(dy - wave) < 9:
                return (255, 255, 255, 255)
        return (0, 110, 110, 255)

    return _png(size, size, pixel)


def build(out_dir: Path = OUT_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in TEMPLATES.items():
        buffer = io.BytesIO()
        make().save(buffer)
        path = out_dir / name
        path.write_bytes(reproducible_zip(buffer.getvalue()))
        written.append(path)
    logo = out_dir / "council_logo.png"
    logo.write_bytes(logo_png())
    written.append(logo)
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR):
        print(path)
