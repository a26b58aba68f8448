"""Build the shipped Welsh and bilingual Word templates, reproducibly.

    python -m letters.build_templates_cy       # writes templates/letters/docx/*.cy*.docx

For every letter kind this writes `<kind>.cy.docx` (the letter in Welsh) and
`<kind>.cy_en.docx` (bilingual: the Welsh letter first, then the English letter from
letters/build_templates.py, after a page break). The look and the building blocks are
the English builder's; the words are plain Welsh (docs/welsh-letters.md): short
sentences, "chi", everyday words, dates written out in Welsh.

Language marks, for spelling checkers and screen readers: the document's default
language (styles and core properties) is Welsh, `cy-GB`; in the bilingual file every
paragraph and run of the English half is marked `en-GB`.

The Welsh templates read the language-dependent values from the context's `cy` part
(letters/welsh.py) and the shared values (names, addresses, what people typed) as the
English ones do. Running the script twice gives byte-identical files.
"""

from __future__ import annotations

import copy
import io
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from . import build_templates as en
from .build_templates import bullets, heading, loop_table, para, tag
from .docxfile import reproducible_zip

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

OUT_DIR = en.OUT_DIR
WELSH = "cy-GB"
BILINGUAL_NOTICE = "bilingual"
ENGLISH = "en-GB"


# --- language marks -------------------------------------------------------------------


def _set_lang(rpr, language: str) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)


def _default_language(doc, language: str) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    _set_lang(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), language)
    doc.core_properties.language = language


def mark_language(element, language: str) -> None:
    """Mark every run and paragraph mark under `element` as being in `language`."""
    for run in element.iter(qn("w:r")):
        _set_lang(run.get_or_add_rPr(), language)
    for paragraph in element.iter(qn("w:p")):
        ppr = paragraph.get_or_add_pPr()
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            ppr.append(rpr)
        _set_lang(rpr, language)


# --- the document's frame -------------------------------------------------------------


def _headers(doc, *, bilingual: bool) -> None:
    section = doc.sections[0]
    first = section.first_page_header
    first.paragraphs[0].add_run("{{ logo }}")
    name = first.add_paragraph()
    name.add_run("{{ council.name }}").bold = True
    first.add_paragraph("{{ council.department }}")
    reference = "Ein cyfeirnod / Our reference" if bilingual else "Ein cyfeirnod"
    section.header.paragraphs[0].add_run("{{ council.name }}. " + reference + ": {{ reference }}")
    phone = "Ffôn / Phone" if bilingual else "Ffôn"
    for footer in (section.first_page_footer, section.footer):
        line = footer.paragraphs[0]
        line.add_run(
            "{{ council.name }}, {{ council.address_line }}. " + phone + " {{ council.phone }}."
        )
        pages = footer.add_paragraph("Tudalen / Page " if bilingual else "Tudalen ")
        en._field(pages, "PAGE")
        pages.add_run(" o / of " if bilingual else " o ")
        en._field(pages, "NUMPAGES")


def new_document(title: str, *, bilingual: bool = False):
    doc = en.Document()
    en._styles(doc)
    en._page(doc)
    _headers(doc, bilingual=bilingual)
    _default_language(doc, WELSH)
    props = doc.core_properties
    props.title = title
    props.author = "legaltracker"
    props.last_modified_by = "legaltracker"
    props.subject = "Llythyr at deulu / Letter to a family" if bilingual else "Llythyr at deulu"
    props.comments = "Built by letters/build_templates_cy.py. Jinja tags are docxtpl's."
    props.keywords = ""
    props.created = props.modified = en.FIXED
    props.last_printed = en.FIXED
    props.revision = 1
    return doc


# --- parts shared by several letters --------------------------------------------------


def opening(doc, title: str) -> None:
    para(doc, "{{ recipient.name }}")
    para(doc, "{{ recipient.address }}")
    para(doc, "{{ cy.letter_date }}")
    para(doc, ("Ein cyfeirnod: ", True), "{{ reference }}")
    if BILINGUAL_NOTICE in doc.core_properties.keywords:
        # Under the address (which stays where an envelope's window shows it).
        bilingual_notice(doc)
    heading(doc, title, 1)


def bilingual_notice(doc) -> None:
    paragraph = para(
        doc,
        "Mae'r llythyr hwn yn Gymraeg ac yn Saesneg. Mae'r Saesneg ar ôl y Gymraeg.",
    )
    english = para(doc, "This letter is in Welsh and English. The English follows the Welsh.")
    del paragraph
    mark_language(english._p, ENGLISH)


def legal_help_banner(doc, *, court_case: bool) -> None:
    """Do not ignore this letter; legal aid is free for those with parental
    responsibility, whatever their money."""

    def fill(cell) -> None:
        c = en._cell_para
        c(cell, "{%p if recipient.has_pr %}")
        c(cell, ("Peidiwch ag anwybyddu'r llythyr hwn. Ewch ag ef at gyfreithiwr nawr.", True))
        if court_case:
            c(cell, ("Mae cymorth cyfreithiol am ddim i chi yn yr achos llys hwn.", True))
        else:
            c(cell, ("Mae cymorth cyfreithiol am ddim i chi.", True))
        c(cell, ("Does dim ots faint o arian sydd gennych chi.", True))
        c(
            cell,
            "Dangoswch y llythyr hwn i'r cyfreithiwr. Mae'n golygu y gallan nhw eich helpu am "
            "ddim.",
        )
        c(cell, "{%p else %}")
        c(cell, ("Darllenwch y llythyr hwn yn ofalus.", True))
        c(cell, "Efallai yr hoffech chi siarad â chyfreithiwr amdano.")
        c(cell, "{%p endif %}")

    en.box(doc, "Pwysig: cewch gyngor cyfreithiol", "FFF2CC", fill)


def greeting(doc) -> None:
    para(doc, "Annwyl {{ recipient.name }},")


def note_section(doc) -> None:
    tag(doc, "{%p if note.has %}")
    heading(doc, "Neges gan eich gweithiwr cymdeithasol", 2)
    para(doc, "{{ note.text }}")
    tag(doc, "{%p endif %}")


def who_to_talk_to(doc, *, solicitors: bool = True) -> None:
    heading(doc, "Pwy i siarad â nhw", 2)
    para(
        doc,
        "Eich gweithiwr cymdeithasol yw {{ social_worker.name }}. "
        "Ffoniwch {{ council.phone }} a gofynnwch amdanyn nhw.",
    )
    tag(doc, "{%p if social_worker.email %}")
    para(doc, ("E-bost: ", True), "{{ social_worker.email }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if team_manager.has %}")
    para(doc, "Eu rheolwr yw {{ team_manager.name }}.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if legal.has %}")
    para(
        doc,
        "Ein cyfreithiwr yw {{ legal.name }}. Gall eich cyfreithiwr eu ffonio ar {{ legal.phone "
        "}}.",
    )
    para(doc, "Gofynnwch i'ch cyfreithiwr ddefnyddio ein cyfeirnod: {{ legal.reference }}.")
    tag(doc, "{%p endif %}")
    if solicitors:
        heading(doc, "Cyfreithwyr yn agos atoch chi", 3)
        tag(doc, "{%p if recipient.has_pr %}")
        para(
            doc,
            "Mae'r cyfreithwyr hyn yn helpu rhieni mewn achosion fel hyn. Mae eu help am ddim i "
            "chi.",
        )
        tag(doc, "{%p else %}")
        para(doc, "Mae'r cyfreithwyr hyn yn helpu teuluoedd mewn achosion fel hyn.")
        tag(doc, "{%p endif %}")
        bullets(
            doc,
            "s in solicitors",
            [("{{ s.name }}", True), ", {{ s.address }}. Ffôn {{ s.phone }}."],
        )


def glossary(doc) -> None:
    tag(doc, "{%p if cy.glossary %}")

    def fill(cell) -> None:
        c = en._cell_para
        # The box stays on one page: each line keeps with the next.
        c(cell, ("Geiriau rydym yn eu defnyddio yn y llythyr hwn", True))
        c(cell, "{%p for g in cy.glossary %}")
        c(cell, ("{{ g.term }}: ", True), "{{ g.meaning }}.")
        c(cell, "{%p endfor %}")
        for paragraph in cell.paragraphs[:-1]:
            paragraph.paragraph_format.keep_with_next = True
        cell._tc.getparent().get_or_add_trPr().append(OxmlElement("w:cantSplit"))

    en.box(doc, "Geiriau rydym yn eu defnyddio yn y llythyr hwn", "EAF2FB", fill)
    tag(doc, "{%p endif %}")


def sign_off(doc) -> None:
    # The closing lines stay with the signature, so no page holds only the signature.
    closing = para(doc, "Yn gywir,")
    closing.paragraph_format.keep_with_next = True
    tag(doc, "{%p if cy.signatory.has %}")
    name = para(doc, "{{ cy.signatory.name }}")
    name.paragraph_format.keep_with_next = True
    para(doc, "{{ cy.signatory.role }}")
    tag(doc, "{%p else %}")
    name = para(doc, "{{ social_worker.name }}")
    name.paragraph_format.keep_with_next = True
    para(doc, "Gweithiwr cymdeithasol, {{ team_name }}")
    tag(doc, "{%p endif %}")


def expectations_table(doc) -> None:
    loop_table(
        doc,
        "Beth sydd angen newid, ac erbyn pryd",
        "e in cy.expectations",
        [
            ("Beth sydd angen digwydd", 4.2, [[("{{ e.who }}", True)], ["{{ e.action }}"]]),
            ("Pam mae'n bwysig", 3.4, [["{{ e.why }}"]]),
            ("Yr help y byddwn yn ei roi", 3.4, [["{{ e.help }}"]]),
            ("Sut byddwn yn gwybod", 3.4, [["{{ e.how }}"]]),
            ("Erbyn pryd", 2.6, [[("{{ e.due }}", True)]]),
        ],
    )


def meeting_details(doc) -> None:
    para(doc, ("Dyddiad: ", True), "{{ cy.meeting.date }}")
    para(doc, ("Amser: ", True), "{{ cy.meeting.time }}")
    tag(doc, "{%p if meeting.place %}")
    para(doc, ("Lle: ", True), "{{ meeting.place }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if meeting.is_video %}")
    para(doc, ("Dolen fideo: ", True), "{{ meeting.video_link }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if meeting.attendees %}")
    para(doc, ("Pwy fydd yno:", True))
    bullets(doc, "a in meeting.attendees", "{{ a }}")
    tag(doc, "{%p endif %}")


def interpreter_and_advocate(doc) -> None:
    para(doc, "Gallwch chi siarad Cymraeg neu Saesneg gyda ni.")
    tag(doc, "{%p if recipient.interpreter %}")
    para(
        doc,
        "Rydym yn gwybod yr hoffech chi gael cyfieithydd sy'n siarad {{ cy.recipient_language }}. "
        "Byddwn yn trefnu un i chi.",
    )
    tag(doc, "{%p else %}")
    para(doc, "Os oes angen cyfieithydd arnoch chi, dywedwch wrthym. Byddwn yn trefnu un i chi.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if recipient.advocate %}")
    para(
        doc,
        "Rydym yn gwybod yr hoffech chi gael eiriolwr. Bydd yn eich helpu i ddweud beth "
        "rydych chi'n ei feddwl. Byddwn yn dod o hyd i un i chi.",
    )
    tag(doc, "{%p else %}")
    para(
        doc,
        "Hoffech chi help i ddweud beth rydych chi'n ei feddwl? Dywedwch wrthym. "
        "Gallwn ddod o hyd i eiriolwr i chi.",
    )
    tag(doc, "{%p endif %}")


def other_formats(doc) -> None:
    heading(doc, "Y llythyr hwn mewn ffordd arall", 3)
    para(
        doc,
        "Gallwn anfon y llythyr hwn mewn print mawr, mewn fersiwn hawdd ei ddarllen, "
        "neu yn Saesneg. Dywedwch wrthym beth sydd orau i chi.",
    )


# --- the letters ------------------------------------------------------------------------


def letter_before_proceedings(doc, *, unborn: bool) -> None:
    opening(doc, "Llythyr cyn achos")
    legal_help_banner(doc, court_case=False)
    greeting(doc)
    heading(doc, "Pam rydym yn ysgrifennu atoch chi", 2)
    if unborn:
        para(
            doc,
            "Mae'r llythyr hwn am {{ cy.children_first }}. Mae disgwyl i'r babi gael ei eni ar "
            "{{ cy.baby_due }}.",
        )
        para(doc, "Rydym yn poeni'n fawr am ba mor ddiogel fydd y babi ar ôl yr enedigaeth.")
        para(
            doc,
            "Rydym yn meddwl am ofyn i lys benderfynu beth ddylai ddigwydd i'r babi ar ôl yr "
            "enedigaeth.",
        )
    else:
        para(doc, "Mae'r llythyr hwn am {{ cy.children_names }}.")
        para(doc, "Rydym yn poeni'n fawr am {{ cy.children_first }}.")
        para(doc, "Rydym yn meddwl am ofyn i lys benderfynu beth ddylai ddigwydd iddyn nhw.")
    tag(doc, "{%p if cy.children %}")
    para(doc, ("Y plant:", True))
    bullets(doc, "c in cy.children", "{{ c.name }}{% if c.born %}, {{ c.born }}{% endif %}")
    tag(doc, "{%p endif %}")
    para(doc, "Rydym eisiau gweithio gyda chi fel nad oes angen i hyn ddigwydd.")
    para(doc, "Llythyr cyn achos yw'r enw ar y llythyr hwn.")
    heading(doc, "Beth allai llys ei benderfynu", 3)
    para(doc, "Byddai barnwr yn gwrando arnoch chi ac arnom ni. Yna gallai'r barnwr benderfynu:")
    who = "{{ cy.children_first }}"
    for line in (
        f"y dylai {who} aros gyda chi, a'n bod ni'n eich helpu ac yn gwirio arnoch chi. "
        "Gorchymyn goruchwylio yw'r enw ar hyn.",
        f"y dylai {who} fyw gyda rhywun arall yn eich teulu, neu gyda ffrind.",
        f"y dylai {who} fyw gyda gofalwyr maeth.",
        f"y gallwn ni benderfynu ble dylai {who} fyw. Gorchymyn gofal yw'r enw ar hyn.",
    ):
        para(doc, line, style="List Bullet")
    heading(doc, "Pam rydym yn poeni", 2)
    para(doc, "{{ concerns }}")
    tag(doc, "{%p if history %}")
    heading(doc, "Beth sydd wedi digwydd hyd yma", 3)
    para(doc, "{{ history }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if help_given %}")
    heading(doc, "Yr help rydym wedi'i roi i chi", 3)
    para(doc, "{{ help_given }}")
    tag(doc, "{%p endif %}")
    heading(doc, "Beth sydd angen newid", 2)
    para(
        doc,
        "Mae'r tabl yn dangos beth sydd angen newid. Mae'n dangos yr help y byddwn yn ei roi "
        "i chi. Mae hefyd yn dangos y dyddiad ar gyfer pob peth.",
    )
    expectations_table(doc)
    para(doc, "Byddwn yn gwirio sut mae pethau'n mynd mewn cyfarfodydd gyda chi.")
    tag(doc, "{%p if cy.timetable %}")
    heading(doc, "Pryd bydd pethau'n digwydd", 3)
    bullets(doc, "t in cy.timetable", [("{{ t.date }}: ", True), "{{ t.what }}"])
    tag(doc, "{%p endif %}")
    heading(doc, "Gwiriadau rydym eisiau eu gwneud", 2)
    tag(doc, "{%p if cy.assessments %}")
    para(
        doc,
        "Rydym eisiau dysgu mwy am sut mae pethau i {{ cy.children_first }}. "
        "Asesiad yw'r enw ar hyn.",
    )
    loop_table(
        doc,
        "Gwiriadau rydym eisiau eu gwneud",
        "a in cy.assessments",
        [
            ("Beth fyddwn ni'n edrych arno", 5.0, [["{{ a.what }}"]]),
            ("Pam", 4.5, [["{{ a.why }}"]]),
            ("Pwy fydd yn ei wneud", 4.0, [["{{ a.who }}"]]),
            ("Pryd", 3.5, [[("{{ a.when }}", True)]]),
        ],
    )
    tag(doc, "{%p else %}")
    para(
        doc,
        "Nid ydym yn bwriadu gwneud gwiriadau newydd nawr. Byddwn yn dweud wrthych chi os bydd "
        "hyn yn newid.",
    )
    tag(doc, "{%p endif %}")
    heading(doc, "Teulu a ffrindiau a allai helpu", 2)
    para(doc, "Meddyliwch am bobl yn eich teulu neu eich ffrindiau a allai helpu.")
    para(doc, "Dywedwch wrthym pwy ydyn nhw. Gallwn siarad â nhw.")
    tag(doc, "{%p if cy.family_network.offer %}")
    heading(doc, "Cyfarfod rhwydwaith teulu", 3)
    para(doc, "Hoffem helpu eich teulu i gynnal cyfarfod rhwydwaith teulu.")
    para(
        doc,
        "Yn y cyfarfod, mae eich teulu a'ch ffrindiau'n gwneud cynllun ar gyfer {{ "
        "cy.children_first }}.",
    )
    para(doc, "Chi sy'n dewis pwy sy'n dod. Does dim rhaid i chi dalu.")
    para(doc, "I ddweud ie, ffoniwch {{ cy.reply.phone }}.")
    tag(doc, "{%p elif fgdm.offer %}")
    heading(doc, "Cyfarfod teulu", 3)
    para(doc, "Hoffem helpu eich teulu i gynnal cyfarfod teulu.")
    para(
        doc,
        "Mewn cyfarfod teulu, mae eich teulu a'ch ffrindiau'n gwneud cynllun ar gyfer {{ "
        "cy.children_first }}.",
    )
    para(
        doc,
        "Chi sy'n dewis pwy sy'n dod. Bydd rhywun sydd ddim yn gweithio ar eich achos yn ei "
        "gynnal.",
    )
    para(doc, "Does dim rhaid i chi dalu.")
    para(doc, ("Sut i ddweud ie: ", True), "{{ fgdm.how_to_accept }}")
    tag(doc, "{%p endif %}")
    heading(doc, "Dewch i gyfarfod gyda ni", 2)
    tag(doc, "{%p if meeting.has %}")
    para(doc, "Hoffem gwrdd â chi i siarad am y llythyr hwn.")
    meeting_details(doc)
    tag(doc, "{%p else %}")
    para(
        doc,
        "Hoffem gwrdd â chi i siarad am y llythyr hwn. Byddwn yn ysgrifennu atoch chi gyda'r "
        "dyddiad.",
    )
    tag(doc, "{%p endif %}")
    para(doc, "Dewch â'ch cyfreithiwr. Gall eich cyfreithiwr ddod i'r cyfarfod gyda chi.")
    para(doc, "Gallwch chi hefyd ddod â rhywun i'ch cefnogi, fel ffrind neu rywun o'r teulu.")
    heading(doc, "Sut i ateb", 3)
    para(doc, "Ffoniwch ni ar {{ cy.reply.phone }}.")
    tag(doc, "{%p if cy.reply.email %}")
    para(doc, ("E-bost: ", True), "{{ cy.reply.email }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if cy.reply.by %}")
    para(doc, "Rhowch wybod i ni erbyn {{ cy.reply.by }} a allwch chi ddod.")
    tag(doc, "{%p endif %}")
    para(
        doc, "Os na allwch chi ddod, ffoniwch ni cyn gynted â phosib. Byddwn yn trefnu amser arall."
    )
    interpreter_and_advocate(doc)
    other_formats(doc)
    heading(doc, "Beth sy'n digwydd nesaf", 2)
    para(
        doc,
        "Os bydd pethau'n gwella, ni fyddwn yn mynd i'r llys. Byddwn yn dal i weithio gyda "
        "chi i helpu eich teulu.",
    )
    para(
        doc,
        "Os na fydd pethau'n gwella, efallai y byddwn yn gofyn i lys benderfynu. Byddwn yn "
        "dweud wrthych chi cyn i ni wneud hyn.",
    )
    para(
        doc,
        "Os ydym yn meddwl nad yw plentyn yn ddiogel, efallai y bydd rhaid i ni fynd i'r llys ar "
        "unwaith.",
    )
    note_section(doc)
    who_to_talk_to(doc)
    glossary(doc)
    sign_off(doc)


def gateway_outcome(doc) -> None:
    opening(doc, "Ein penderfyniad: ni fyddwn yn mynd i'r llys nawr")
    greeting(doc)
    heading(doc, "Beth wnaethom ni ei benderfynu", 2)
    para(doc, "Ar {{ cy.gateway_date }}, cawsom gyfarfod am {{ cy.children_first }}.")
    para(doc, "Gwnaethom edrych ar sut mae pethau'n mynd iddyn nhw.")
    para(doc, "Rydym wedi penderfynu peidio â gofyn i lys wneud penderfyniadau amdanyn nhw nawr.")
    para(doc, "Bydd y cynllun rydym wedi'i wneud gyda chi yn parhau.")
    heading(doc, "Beth mae hyn yn ei olygu i chi", 2)
    para(doc, "Bydd eich gweithiwr cymdeithasol yn dal i weithio gyda chi.")
    para(doc, "Daliwch i fynd i gyfarfodydd am y cynllun.")
    tag(doc, "{%p if cy.expectations %}")
    heading(doc, "Beth rydym dal angen i chi ei wneud", 2)
    para(doc, "Mae'r tabl yn dangos beth sydd dal angen digwydd, ac erbyn pryd.")
    expectations_table(doc)
    tag(doc, "{%p endif %}")
    heading(doc, "Os byddwn yn poeni mwy", 2)
    para(doc, "Os byddwn yn poeni mwy, efallai y byddwn yn cynnal cyfarfod arall fel hwn.")
    para(doc, "Byddwn yn dweud wrthych chi os bydd hyn yn digwydd.")
    note_section(doc)
    who_to_talk_to(doc, solicitors=False)
    other_formats(doc)
    glossary(doc)
    sign_off(doc)


def review_outcome(doc) -> None:
    opening(doc, "Sut mae pethau'n mynd")
    greeting(doc)
    heading(doc, "Ein cyfarfod", 2)
    para(doc, "Ar {{ cy.review_date }}, gwnaethom gwrdd i wirio sut mae pethau'n mynd.")
    para(doc, "Diolch am siarad gyda ni.")
    heading(doc, "Beth wnaethom ni ei weld", 2)
    para(doc, "Mae'r tabl yn dangos pob peth oedd angen newid. Mae'n dangos sut mae'n mynd.")
    loop_table(
        doc,
        "Sut mae pob newid yn mynd",
        "e in cy.expectations",
        [
            ("Beth sydd angen digwydd", 5.0, [[("{{ e.who }}", True)], ["{{ e.action }}"]]),
            ("Erbyn pryd", 3.0, [["{{ e.due }}"]]),
            ("Sut mae'n mynd", 2.8, [[("{{ e.status }}", True)]]),
            ("Beth ddywedon ni", 6.2, [["{{ e.review_note }}"]]),
        ],
    )
    tag(doc, "{%p if extension.has %}")
    heading(doc, "Rydym yn rhoi mwy o amser i chi", 2)
    para(doc, "Rydym wedi penderfynu rhoi mwy o amser i chi wneud y newidiadau hyn.")
    para(doc, "Byddwn nawr yn penderfynu beth i'w wneud erbyn {{ cy.extension_new_end }}.")
    para(doc, ("Pam: ", True), "{{ extension.reason }}")
    tag(doc, "{%p endif %}")
    heading(doc, "Ein cyfarfod nesaf", 2)
    tag(doc, "{%p if meeting.has %}")
    meeting_details(doc)
    para(doc, "Dewch â'ch cyfreithiwr.")
    tag(doc, "{%p else %}")
    para(doc, "Byddwn yn ysgrifennu atoch chi gyda dyddiad ein cyfarfod nesaf.")
    tag(doc, "{%p endif %}")
    heading(doc, "Beth sy'n digwydd nesaf", 2)
    tag(doc, "{%p if cy.progress.all_done %}")
    para(
        doc,
        "Mae popeth wedi'i wneud. Diolch. Ni fyddwn yn mynd i'r llys os bydd pethau'n aros fel "
        "hyn.",
    )
    tag(doc, "{%p elif cy.progress.any_not_done %}")
    para(doc, "Mae rhai pethau heb eu gwneud. Mae angen eu gwneud erbyn y dyddiad yn y tabl.")
    para(doc, "Os na fyddan nhw'n cael eu gwneud, efallai y byddwn yn gofyn i lys benderfynu.")
    tag(doc, "{%p else %}")
    para(doc, "Os bydd pethau'n dal i wella, ni fyddwn yn mynd i'r llys.")
    para(doc, "Os na fydd pethau'n gwella, efallai y byddwn yn gofyn i lys benderfynu.")
    tag(doc, "{%p endif %}")
    para(doc, "Byddwn yn dweud wrthych chi cyn i ni ofyn i lys benderfynu.")
    note_section(doc)
    who_to_talk_to(doc, solicitors=False)
    other_formats(doc)
    glossary(doc)
    sign_off(doc)


def end_of_pre_proceedings(doc) -> None:
    opening(doc, "Ni fyddwn yn mynd i'r llys")
    greeting(doc)
    heading(doc, "Beth wnaethom ni ei benderfynu", 2)
    tag(doc, "{%p if lbp.has %}")
    para(doc, "Ar {{ cy.lbp_date }}, gwnaethom anfon llythyr cyn achos atoch chi.")
    para(
        doc, "Roedd yn dweud ein bod yn meddwl am ofyn i lys benderfynu am {{ cy.children_first }}."
    )
    tag(doc, "{%p endif %}")
    para(doc, "Rydym nawr wedi penderfynu peidio â mynd i'r llys.")
    para(doc, "Diolch am y newidiadau rydych chi wedi'u gwneud.")
    heading(doc, "Beth sy'n digwydd nawr", 2)
    tag(doc, "{%p if plan.has %}")
    para(doc, "O {{ cy.ended_on }} ymlaen, bydd gan {{ cy.children_first }} {{ cy.plan.name }}.")
    tag(doc, "{%p endif %}")
    para(doc, "{{ cy.plan.sentence }}")
    para(doc, "Bydd eich gweithiwr cymdeithasol yn dweud wrthych chi beth sy'n digwydd nesaf.")
    heading(doc, "Os byddwn yn poeni eto", 2)
    para(doc, "Os byddwn yn poeni eto, byddwn yn siarad â chi yn gyntaf.")
    para(doc, "Efallai y bydd angen i ni ysgrifennu atoch chi eto.")
    note_section(doc)
    who_to_talk_to(doc, solicitors=False)
    other_formats(doc)
    glossary(doc)
    sign_off(doc)


def letter_of_issue(doc) -> None:
    opening(doc, "Rydym yn gofyn i lys benderfynu")
    legal_help_banner(doc, court_case=True)
    greeting(doc)
    heading(doc, "Beth rydym wedi'i benderfynu", 2)
    para(
        doc,
        "Rydym wedi penderfynu gofyn i'r llys teulu wneud penderfyniadau am {{ cy.children_first "
        "}}.",
    )
    para(doc, "Gwnaethom y penderfyniad hwn ar {{ cy.decision_date }}.")
    tag(doc, "{%p if issued.has %}")
    para(doc, "Gwnaethom anfon ein papurau i'r llys ar {{ cy.issued_date }}.")
    tag(doc, "{%p if issued.court_reference %}")
    para(doc, ("Cyfeirnod y llys yw: ", True), "{{ issued.court_reference }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p else %}")
    para(doc, "Byddwn yn anfon ein papurau i'r llys erbyn {{ cy.application_due }}.")
    tag(doc, "{%p endif %}")
    heading(doc, "Pam rydym yn gwneud hyn", 2)
    tag(doc, "{%p if lbp.has %}")
    para(doc, "Gwnaethom ysgrifennu atoch chi am ein pryderon ar {{ cy.lbp_date }}.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if concerns %}")
    para(doc, "{{ concerns }}")
    tag(doc, "{%p endif %}")
    para(
        doc,
        "Rydym yn meddwl bod angen i farnwr benderfynu nawr beth sydd orau i {{ "
        "cy.children_first }}.",
    )
    heading(doc, "Ein papurau", 2)
    para(doc, "Byddwn ni'n rhoi copi o'n papurau i chi. Darllenwch nhw gyda'ch cyfreithiwr.")
    tag(doc, "{%p if cy.enclosures %}")
    para(doc, ("Gyda'r llythyr hwn mae:", True))
    bullets(doc, "x in cy.enclosures", "{{ x }}")
    tag(doc, "{%p endif %}")
    heading(doc, "Y gwrandawiad cyntaf", 2)
    tag(doc, "{%p if cy.hearing.has %}")
    para(doc, "Bydd y gwrandawiad cyntaf ar {{ cy.hearing.date }} am {{ cy.hearing.time }}.")
    para(doc, ("Y llys: ", True), "{{ cy.hearing.court }}")
    tag(doc, "{%p else %}")
    para(
        doc,
        "Bydd y llys yn dewis dyddiad ar gyfer y gwrandawiad cyntaf. Fel arfer, mae hyn o fewn "
        "tair wythnos.",
    )
    para(doc, "Bydd y llys yn dweud wrthych chi pryd mae.")
    tag(doc, "{%p endif %}")
    para(
        doc,
        "Weithiau mae gwrandawiad brys yn digwydd yn gyntaf. Os bydd hyn yn digwydd, byddwn yn "
        "dweud wrthych chi ar unwaith.",
    )
    para(doc, "Ewch i bob gwrandawiad. Gallwch chi ddweud beth rydych chi'n ei feddwl.")
    para(
        doc,
        "Bydd y llys yn dewis gwarcheidwad plant ar gyfer {{ cy.children_first }}. "
        "Nid yw'r gwarcheidwad yn gweithio i ni.",
    )
    para(doc, "Gallai barnwr wneud gorchymyn gofal. Bydd y barnwr yn gwrando arnoch chi yn gyntaf.")
    heading(doc, "Byddwn yn dal i weithio gyda chi", 2)
    para(
        doc,
        "Bydd eich gweithiwr cymdeithasol yn dal i weithio gyda chi tra bydd yr achos llys yn "
        "mynd ymlaen.",
    )
    interpreter_and_advocate(doc)
    other_formats(doc)
    note_section(doc)
    who_to_talk_to(doc)
    glossary(doc)
    sign_off(doc)


# --- the files ------------------------------------------------------------------------------

# kind -> (Welsh title, the Welsh body, the English letter from build_templates)
LETTERS: dict[str, tuple[str, Callable[..., None], Callable[[], DocxDocument]]] = {
    "letter_before_proceedings": (
        "Llythyr cyn achos",
        lambda doc: letter_before_proceedings(doc, unborn=False),
        lambda: en.letter_before_proceedings(unborn=False),
    ),
    "letter_before_proceedings_unborn": (
        "Llythyr cyn achos",
        lambda doc: letter_before_proceedings(doc, unborn=True),
        lambda: en.letter_before_proceedings(unborn=True),
    ),
    "gateway_outcome": ("Ein penderfyniad am fynd i'r llys", gateway_outcome, en.gateway_outcome),
    "review_outcome": ("Sut mae pethau'n mynd", review_outcome, en.review_outcome),
    "end_of_pre_proceedings": (
        "Ni fyddwn yn mynd i'r llys",
        end_of_pre_proceedings,
        en.end_of_pre_proceedings,
    ),
    "letter_of_issue": ("Rydym yn gofyn i lys benderfynu", letter_of_issue, en.letter_of_issue),
}


def welsh(kind: str) -> DocxDocument:
    title, body, _ = LETTERS[kind]
    doc = new_document(title)
    body(doc)
    return doc


def bilingual(kind: str) -> DocxDocument:
    """The Welsh letter, then (from a new page) the English letter, marked en-GB."""
    title, body, english = LETTERS[kind]
    doc = new_document(title, bilingual=True)
    doc.core_properties.keywords = BILINGUAL_NOTICE
    body(doc)
    doc.core_properties.keywords = ""
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    source = english().element.body
    target = doc.element.body
    section = target.find(qn("w:sectPr"))
    for child in source.iterchildren():
        if child.tag == qn("w:sectPr"):
            continue
        moved = copy.deepcopy(child)
        mark_language(moved, ENGLISH)
        section.addprevious(moved)
    return doc


def files() -> dict[str, Callable[[], DocxDocument]]:
    out: dict[str, Callable[[], DocxDocument]] = {}
    for kind in LETTERS:
        out[f"{kind}.cy.docx"] = partial(welsh, kind)
        out[f"{kind}.cy_en.docx"] = partial(bilingual, kind)
    return out


def build(out_dir: Path = OUT_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in files().items():
        buffer = io.BytesIO()
        make().save(buffer)
        path = out_dir / name
        path.write_bytes(reproducible_zip(buffer.getvalue()))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR):
        print(path)
