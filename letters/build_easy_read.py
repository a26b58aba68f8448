"""Build the easy-read letters and the letter to a young person, and their pictures.

    python -m letters.build_easy_read        # writes templates/letters/docx/*

- `letter_before_proceedings.easy_read.docx` and
  `letter_before_proceedings_unborn.easy_read.docx`: the letter before proceedings in
  easy read. Very short sentences, one idea on each line, 16 point or larger everywhere,
  and a picture beside each part: each part is a two-column table with no borders
  (picture | words), so the picture stays beside its words.
- `letter_before_proceedings.young_person.docx`: the letter to a child aged 12 or over
  about the same decision: what is happening, why, what they can do and who they can
  talk to, written to them ("you"), short and warm, with no blame.

The pictures are drawn by `letters/pictures.py` and written to
templates/letters/docx/pictures/; each carries its alternative text in the document.
The building blocks (document, styles, headers, tags, boxes) are those of
`letters/build_templates.py`; the context each template reads is built by
`letters/builders_variants.py`. Running this twice gives byte-identical files.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .build_templates import OUT_DIR, _cell_para, _table_caption, box, new_document, para, tag
from .docxfile import reproducible_zip
from .pictures import PICTURES, picture_png

MIN_POINTS = 16
PICTURE_WIDTH = Cm(2.6)
PICTURE_COLUMN = Cm(3.2)
TEXT_COLUMN = Cm(13.8)

Fill = Callable[[object], None]


# --- the look: large print -----------------------------------------------------------


def _large_print(doc) -> None:
    """16 point everywhere (headings larger), more space between lines."""
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.size = Pt(MIN_POINTS)
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.25
    for name, size in (("Heading 1", 28), ("Heading 2", 22), ("Heading 3", 18)):
        styles[name].font.size = Pt(size)
    for name in ("List Bullet", "Header", "Footer", "Table Grid"):
        styles[name].font.size = Pt(MIN_POINTS)


def new_large_document(title: str):
    doc = new_document(title)
    _large_print(doc)
    doc.core_properties.comments = (
        "Built by letters/build_easy_read.py. Jinja tags are docxtpl's. The pictures are "
        "drawn by letters/pictures.py and are licensed with the project."
    )
    return doc


# --- a part with its picture -------------------------------------------------------------


def _picture(cell, name: str) -> None:
    picture = PICTURES[name]
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run()
    run.add_picture(io.BytesIO(picture_png(name)), width=PICTURE_WIDTH)
    for properties in run._r.iter(qn("wp:docPr")):
        properties.set("descr", picture.alt)
        properties.set("name", picture.file_name)


def _keep_on_one_page(table) -> None:
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def part(
    doc,
    picture: str,
    title: str,
    fill: Fill,
    *,
    condition: str | None = None,
    keep: bool = True,
) -> None:
    """A part of the letter: its picture on the left, its heading and words on the right
    (a two-column table without borders). With `condition`, the part is only in letters
    where that is true. A part of fixed words (`keep`) is kept on one page; a part that
    holds what people typed, which may be long, may run on to the next."""
    if condition:
        tag(doc, "{%p if " + condition + " %}")
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _table_caption(table, title)
    left, right = table.rows[0].cells
    left.width, right.width = PICTURE_COLUMN, TEXT_COLUMN
    # LibreOffice lays a table out by its grid, not by the cells' widths.
    for column, width in zip(
        table._tbl.tblGrid.iter(qn("w:gridCol")), (PICTURE_COLUMN, TEXT_COLUMN), strict=True
    ):
        column.set(qn("w:w"), str(width.twips))
    _picture(left, picture)
    heading = right.paragraphs[0]
    heading.style = doc.styles["Heading 2"]
    heading.add_run(title)
    fill(right)
    if keep:
        _keep_on_one_page(table)
    doc.add_paragraph()
    if condition:
        tag(doc, "{%p endif %}")


def lines(cell, *texts: str) -> None:
    for text in texts:
        _cell_para(cell, text)


def each(cell, loop: str, *texts: str, bold_first: bool = False) -> None:
    """One line for each item of a loop (the item's texts, each on its own line)."""
    _cell_para(cell, "{%p for " + loop + " %}")
    for number, text in enumerate(texts):
        _cell_para(cell, (text, bold_first and number == 0))
    _cell_para(cell, "{%p endfor %}")


def opening(doc, title: str) -> None:
    para(doc, "{{ recipient.name }}")
    tag(doc, "{%p if recipient.address %}")
    para(doc, "{{ recipient.address }}")
    tag(doc, "{%p endif %}")
    para(doc, "{{ letter_date }}")
    para(doc, ("Our reference: ", True), "{{ reference }}")
    doc.add_heading(title, level=1)


def glossary(doc) -> None:
    tag(doc, "{%p if glossary %}")

    def fill(cell) -> None:
        _cell_para(cell, ("Words we use in this letter", True))
        _cell_para(cell, "{%p for g in glossary %}")
        _cell_para(cell, ("{{ g.term }}: ", True), "{{ g.meaning }}.")
        _cell_para(cell, "{%p endfor %}")

    box(doc, "Words we use in this letter", "EAF2FB", fill)
    # The box never splits across two pages.
    _keep_on_one_page(doc.tables[-1])
    tag(doc, "{%p endif %}")


def signature(cell, greeting: str = "From") -> None:
    """The signature, at the end of the last part (kept on one page with its words)."""
    _cell_para(cell, "")
    _cell_para(cell, greeting)
    _cell_para(cell, ("{{ social_worker.name }}", True))
    _cell_para(cell, "Your social worker")


# --- the easy-read letter before proceedings ---------------------------------------------


def easy_read_letter_before_proceedings(*, unborn: bool) -> object:
    doc = new_large_document("Letter before proceedings: easy read")
    opening(doc, "An important letter for you")

    def banner(cell) -> None:
        lines(cell, "Please read this letter.", "Do not ignore it.")
        _cell_para(cell, "{%p if recipient.has_pr %}")
        lines(
            cell,
            "Take it to a solicitor now.",
            "A solicitor is a lawyer.",
            "Their help is free for you.",
            "You do not need to pay, however much you earn.",
            "This is called legal aid.",
        )
        _cell_para(cell, "{%p else %}")
        lines(cell, "You may want to talk to a solicitor about it.")
        _cell_para(cell, "{%p endif %}")

    part(doc, "letter", "Important", banner)

    def about(cell) -> None:
        if unborn:
            lines(
                cell,
                "This letter is about {{ children_first }}.",
                "The baby is due on {{ baby.due }}.",
                "We are worried about how safe your baby will be.",
            )
        else:
            _cell_para(cell, "This letter is about:")
            each(cell, "c in easy.children", "{{ c }}")
            lines(cell, "We are very worried about {{ children_first }}.")
        lines(
            cell,
            "We may ask a court to decide what happens.",
            "We want to work with you, so this does not happen.",
            "This letter is called a letter before proceedings.",
        )

    part(doc, "family", "Who this letter is about", about)

    def worries(cell) -> None:
        each(cell, "line in easy.concerns", "{{ line }}")

    part(doc, "worried", "Why we are worried", worries, keep=False)

    def changes(cell) -> None:
        lines(cell, "These are the things that need to change.", "We will help you.")
        _cell_para(cell, "{%p for e in easy.expectations %}")
        _cell_para(cell, ("{{ e.number }}. {{ e.first }}", True))
        _cell_para(cell, "{{ e.who }}.")
        _cell_para(cell, "{%p for line in e.more %}")
        _cell_para(cell, "{{ line }}")
        _cell_para(cell, "{%p endfor %}")
        _cell_para(cell, ("Do this by: ", True), "{{ e.due }}.")
        _cell_para(cell, "{%p for line in e.help %}")
        _cell_para(cell, "{{ line }}")
        _cell_para(cell, "{%p endfor %}")
        _cell_para(cell, "{%p endfor %}")

    part(doc, "checklist", "What needs to change", changes, keep=False)

    def our_meeting(cell) -> None:
        _cell_para(cell, "{%p if meeting.has %}")
        lines(cell, "We want to meet you to talk about this letter.")
        _cell_para(cell, ("Date: ", True), "{{ meeting.date }}")
        _cell_para(cell, ("Time: ", True), "{{ meeting.time }}")
        _cell_para(cell, "{%p if meeting.place %}")
        _cell_para(cell, ("Place: ", True), "{{ meeting.place }}")
        _cell_para(cell, "{%p endif %}")
        _cell_para(cell, "{%p if meeting.is_video %}")
        _cell_para(cell, ("Video link: ", True), "{{ meeting.video_link }}")
        _cell_para(cell, "{%p endif %}")
        _cell_para(cell, "{%p else %}")
        lines(
            cell, "We want to meet you to talk about this letter.", "We will write with the date."
        )
        _cell_para(cell, "{%p endif %}")
        lines(
            cell,
            "Please bring your solicitor.",
            "You can bring a friend or someone from your family too.",
            "If you cannot come, please call us on {{ council.phone }}.",
            "We will find another time.",
        )
        _cell_para(cell, "{%p if recipient.interpreter %}")
        lines(cell, "We will book an interpreter who speaks {{ recipient.language }}.")
        _cell_para(cell, "{%p else %}")
        lines(cell, "Tell us if you need an interpreter.")
        _cell_para(cell, "{%p endif %}")

    part(doc, "calendar", "Come to a meeting with us", our_meeting)

    def family_meeting(cell) -> None:
        lines(
            cell,
            "Your family and friends may be able to help.",
            "We would like to help you hold {{ easy.family_meeting.name }}.",
            "At this meeting, your family and friends make a plan.",
            "You choose who comes.",
            "It is free.",
        )
        _cell_para(cell, "{%p if easy.family_meeting.how_to_accept %}")
        _cell_para(cell, ("How to say yes: ", True), "{{ easy.family_meeting.how_to_accept }}")
        _cell_para(cell, "{%p endif %}")

    part(
        doc,
        "meeting",
        "Family and friends who could help",
        family_meeting,
        condition="easy.family_meeting.offer",
    )

    def next_steps(cell) -> None:
        lines(
            cell,
            "We will meet you again to check how things are going.",
            "If things get better, we will not go to court.",
            "If things do not get better, we may go to court.",
            "We will tell you before we do this.",
            "If a child is not safe, we may go to court straight away.",
        )

    part(doc, "court", "What happens next", next_steps)

    def legal_help(cell) -> None:
        lines(
            cell,
            "A solicitor can help you.",
            "Show them this letter.",
            "These solicitors help families like yours:",
        )
        each(cell, "s in solicitors", "{{ s.name }}", "Phone {{ s.phone }}", bold_first=True)

    part(doc, "solicitor", "Get free help from a solicitor", legal_help)

    def contact(cell) -> None:
        lines(
            cell,
            "Your social worker is {{ social_worker.name }}.",
            "Call {{ council.phone }} and ask for them.",
        )
        _cell_para(cell, "{%p if social_worker.email %}")
        _cell_para(cell, ("Email: ", True), "{{ social_worker.email }}")
        _cell_para(cell, "{%p endif %}")
        lines(
            cell,
            "Tell us if you want this letter in another way.",
            "For example, in bigger print, or in another language.",
        )

        signature(cell)

    def message(cell) -> None:
        lines(cell, "{{ note.text }}")

    part(
        doc, "talk", "A message from your social worker", message, condition="note.has", keep=False
    )
    glossary(doc)
    # The last part holds the signature, so that no page holds only the signature.
    part(doc, "phone", "Who to talk to", contact)
    return doc


# --- the letter to a young person -----------------------------------------------------------


def young_person_letter() -> object:
    doc = new_large_document("A letter for you")
    opening(doc, "A letter for you")
    para(doc, "Dear {{ young.first_name }},")

    def why_this_letter(cell) -> None:
        lines(
            cell,
            "This letter is for you.",
            "It tells you what is happening in your family.",
            "It tells you what you can do, and who you can talk to.",
        )
        _cell_para(cell, "{%p if young.has_others %}")
        lines(cell, "We are also thinking about {{ young.others }}.")
        _cell_para(cell, "{%p endif %}")

    part(doc, "letter", "Why we are writing to you", why_this_letter)

    def happening(cell) -> None:
        lines(
            cell,
            "We have written a letter to your {{ young.grown_ups }}.",
            "We are worried about some things at home.",
            "We want you to be safe and well.",
            "We have asked your {{ young.grown_ups }} to make some changes.",
            "We will help them to do this.",
            "If things do not get better, we may ask a family court to help.",
            "A judge would then decide what is best for you.",
        )

    part(doc, "family", "What is happening", happening)

    def not_your_fault(cell) -> None:
        lines(
            cell,
            "It is our job to make sure children are safe.",
            "This is not your fault.",
            "You have not done anything wrong.",
            "{{ social_worker.name }} will talk to you about our worries.",
            "You can ask them anything.",
        )

    part(doc, "worried", "Why we are worried", not_your_fault)

    def message(cell) -> None:
        lines(cell, "{{ note.text }}")

    part(
        doc, "talk", "A message from your social worker", message, condition="note.has", keep=False
    )

    def your_say(cell) -> None:
        lines(
            cell,
            "What you think matters to us.",
            "You can tell us how you feel, and what you want to happen.",
            "You can tell us, write it down or draw it.",
            "You can ask for an advocate.",
            "An advocate helps you say what you think.",
            "They do not work for us.",
        )
        _cell_para(cell, "{%p if meeting.has %}")
        lines(
            cell,
            "We will meet your {{ young.grown_ups }} on {{ meeting.date }}.",
            "Tell us before then what you want us to know.",
        )
        _cell_para(cell, "{%p endif %}")

    part(doc, "checklist", "What you can do", your_say)

    def court(cell) -> None:
        lines(
            cell,
            "If we go to court, you will have a children's guardian.",
            "A guardian makes sure the judge knows what you want.",
            "They also tell the judge what they think is best for you.",
            "They do not work for us. They work for {{ young.guardian_service }}.",
        )

    part(doc, "court", "If we go to court", court)

    def talk_to(cell) -> None:
        lines(
            cell,
            "Your social worker is {{ social_worker.name }}.",
            "Call {{ council.phone }} and ask for them.",
        )
        _cell_para(cell, "{%p if social_worker.email %}")
        _cell_para(cell, ("Email: ", True), "{{ social_worker.email }}")
        _cell_para(cell, "{%p endif %}")
        lines(
            cell,
            "You can talk to a teacher, or another grown-up you trust.",
            "You can call Childline on 0800 1111.",
            "It is free, and the call will not show on a phone bill.",
            "You can also chat to Childline online at childline.org.uk.",
        )
        signature(cell, "Take care,")

    glossary(doc)
    part(doc, "phone", "Who you can talk to", talk_to)
    return doc


TEMPLATES: dict[str, Callable[[], object]] = {
    "letter_before_proceedings.easy_read.docx": lambda: easy_read_letter_before_proceedings(
        unborn=False
    ),
    "letter_before_proceedings_unborn.easy_read.docx": lambda: easy_read_letter_before_proceedings(
        unborn=True
    ),
    "letter_before_proceedings.young_person.docx": young_person_letter,
}


def build(out_dir: Path = OUT_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    pictures = out_dir / "pictures"
    pictures.mkdir(exist_ok=True)
    for picture in PICTURES.values():
        path = pictures / picture.file_name
        path.write_bytes(picture_png(picture.name))
        written.append(path)
    for name, make in TEMPLATES.items():
        buffer = io.BytesIO()
        make().save(buffer)  # type: ignore[attr-defined]
        path = out_dir / name
        path.write_bytes(reproducible_zip(buffer.getvalue()))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR):
        print(path)
