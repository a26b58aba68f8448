"""The Welsh words of a letter: what changes with the language, in plain Welsh.

A Welsh or bilingual letter is built from the same facts and the same English context
as the English letter; `welsh_context` adds a `cy` part holding the values whose words
depend on the language (dates, times, "For you", the expectations' statuses, the plan
after a step-down, the glossary, the children's dates of birth). The Welsh template reads
`cy.*` for those and the shared values (names, addresses, what people typed) as they are;
the bilingual template reads both. What people typed (the concerns, an expectation) goes
into the letter as typed: the tracker does not translate it (docs/welsh-letters.md).

Welsh here is careful and plain: short sentences, "chi", everyday words, dates written out
("dydd Mawrth 4 Ionawr 2028").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from .choices import ExpectationStatus, LetterLanguage
from .facts import AdultFacts, LetterFacts

Context = dict[str, Any]

DAYS = (
    "dydd Llun",
    "dydd Mawrth",
    "dydd Mercher",
    "dydd Iau",
    "dydd Gwener",
    "dydd Sadwrn",
    "dydd Sul",
)
MONTHS = (
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
)

STATUS: dict[str, str] = {
    ExpectationStatus.MET: "Wedi'i wneud",
    ExpectationStatus.PARTLY_MET: "Wedi'i wneud yn rhannol",
    ExpectationStatus.NOT_MET: "Heb ei wneud",
    ExpectationStatus.NOT_YET_DUE: "Ddim i'w wneud eto",
}

# The plan after a step-down (builders.PLAN_AFTER_STEP_DOWN), in Welsh.
PLAN: dict[str, tuple[str, str]] = {
    "a child protection plan": (
        "cynllun amddiffyn plant",
        "Cynllun i'w cadw'n ddiogel yw hwn. Byddwn yn ei wneud gyda chi mewn cyfarfod.",
    ),
    "a child in need plan": (
        "cynllun plentyn mewn angen",
        "Cynllun ar gyfer yr help y mae eich teulu'n ei gael gennym ni yw hwn.",
    ),
    "": (
        "",
        "Byddwn yn cau ffeil eich teulu. Mae hyn yn golygu y byddwn yn stopio gweithio gyda chi.",
    ),
}

# The glossary in Welsh: the English term (lower case) -> (the Welsh term, its meaning).
GLOSSARY: dict[str, tuple[str, str]] = {
    "threshold": (
        "Trothwy",
        "y prawf cyfreithiol y mae llys yn ei ddefnyddio cyn gwneud gorchymyn gofal",
    ),
    "significant harm": ("Niwed sylweddol", "niwed difrifol"),
    "s31": ("Adran 31", "y rhan o'r gyfraith sy'n gadael i lys wneud gorchymyn gofal"),
    "section 31": ("Adran 31", "y rhan o'r gyfraith sy'n gadael i lys wneud gorchymyn gofal"),
    "s20": ("Adran 20", "pan fydd plentyn yn byw oddi cartref gyda chytundeb rhiant"),
    "section 20": ("Adran 20", "pan fydd plentyn yn byw oddi cartref gyda chytundeb rhiant"),
    "s47": (
        "Adran 47",
        "gwiriadau rydym yn eu gwneud pan fyddwn yn meddwl bod plentyn wedi cael niwed",
    ),
    "section 47": (
        "Adran 47",
        "gwiriadau rydym yn eu gwneud pan fyddwn yn meddwl bod plentyn wedi cael niwed",
    ),
    "plo": ("PLO", "rheolau'r llys ar gyfer achosion am blant"),
    "public law outline": ("PLO", "rheolau'r llys ar gyfer achosion am blant"),
    "pre-proceedings": (
        "Cyn achos",
        "yr amser cyn achos llys, pan fyddwn yn gweithio gyda chi i newid pethau",
    ),
    "proceedings": ("Achos", "achos llys"),
    "care proceedings": ("Achos gofal", "achos llys am bwy sy'n gofalu am blentyn"),
    "letter before proceedings": (
        "Llythyr cyn achos",
        "llythyr sy'n dweud ein bod yn meddwl am fynd i'r llys",
    ),
    "cin": ("Plentyn mewn angen", "cynllun ar gyfer yr help y mae eich teulu'n ei gael gennym ni"),
    "cp": ("Amddiffyn plant", "cynllun i gadw plentyn yn ddiogel"),
    "lac": ("Plentyn sy'n derbyn gofal", "plentyn yn ein gofal ni"),
    "looked after child": ("Plentyn sy'n derbyn gofal", "plentyn yn ein gofal ni"),
    "contact": ("Cyswllt", "amser teulu, neu amser gyda'ch plentyn"),
    "fgdm": ("Cyfarfod teulu", "cyfarfod lle mae eich teulu'n gwneud cynllun"),
    "family group decision-making": (
        "Cyfarfod teulu",
        "cyfarfod lle mae eich teulu'n gwneud cynllun",
    ),
    "family group conference": ("Cyfarfod teulu", "cyfarfod lle mae eich teulu'n gwneud cynllun"),
    "schedule of expectations": (
        "Rhestr o'r hyn sydd angen newid",
        "y rhestr o'r hyn sydd angen newid",
    ),
    "written agreement": ("Cytundeb ysgrifenedig", "y rhestr o'r hyn sydd angen newid"),
    "parental responsibility": ("Cyfrifoldeb rhiant", "hawliau a dyletswyddau rhiant dros blentyn"),
    "care order": (
        "Gorchymyn gofal",
        "gorchymyn sy'n gadael i ni benderfynu ble mae plentyn yn byw",
    ),
    "interim care order": (
        "Gorchymyn gofal dros dro",
        "gorchymyn sy'n gadael i ni benderfynu ble mae plentyn yn byw nes bydd yr achos llys yn "
        "dod i ben",
    ),
    "ico": (
        "Gorchymyn gofal dros dro",
        "gorchymyn sy'n gadael i ni benderfynu ble mae plentyn yn byw nes bydd yr achos llys yn "
        "dod i ben",
    ),
    "supervision order": (
        "Gorchymyn goruchwylio",
        "gorchymyn sy'n gadael i ni helpu a gwirio ar deulu",
    ),
    "special guardianship order": (
        "Gorchymyn gwarcheidiaeth arbennig",
        "gorchymyn sy'n gadael i berthynas neu ffrind fagu plentyn",
    ),
    "placement order": (
        "Gorchymyn lleoli",
        "gorchymyn sy'n gadael i ni chwilio am deulu newydd i blentyn",
    ),
    "emergency protection order": (
        "Gorchymyn diogelu brys",
        "gorchymyn sy'n gadael i ni gadw plentyn yn ddiogel mewn argyfwng",
    ),
    "children's guardian": (
        "Gwarcheidwad plant",
        "person y mae'r llys yn ei ddewis i siarad dros blentyn",
    ),
    "cafcass": (
        "Cafcass Cymru",
        "y gwasanaeth sy'n dod o hyd i warcheidwad i siarad dros blentyn yn y llys",
    ),
    "hearing": ("Gwrandawiad", "cyfarfod yn y llys gyda barnwr"),
    "advocate": ("Eiriolwr", "rhywun sy'n eich helpu i ddweud beth rydych chi'n ei feddwl"),
    "safeguarding": ("Diogelu", "cadw plant yn ddiogel"),
    "statutory": ("Statudol", "yn ôl y gyfraith"),
    "kinship carer": ("Gofalwr sy'n berthynas", "perthynas neu ffrind sy'n gofalu am blentyn"),
    "connected person": ("Person cysylltiedig", "perthynas neu ffrind sy'n gofalu am blentyn"),
    "respite": ("Seibiant", "egwyl fer"),
    "local authority": ("Awdurdod lleol", "y cyngor"),
    "la": ("Awdurdod lleol", "y cyngor"),
    "step down": ("Camu i lawr", "mynd yn ôl at gynllun heb lys"),
    "legal gateway": ("Porth cyfreithiol", "ein cyfarfod am fynd i'r llys neu beidio"),
    "legal planning meeting": (
        "Cyfarfod cynllunio cyfreithiol",
        "ein cyfarfod am fynd i'r llys neu beidio",
    ),
    "part 4": ("Rhan 4", "y rhan o'r gyfraith am orchmynion gofal a goruchwylio"),
    "accommodated": ("Yn cael llety", "yn byw oddi cartref gyda chytundeb rhiant"),
    "threshold criteria": (
        "Trothwy",
        "y prawf cyfreithiol y mae llys yn ei ddefnyddio cyn gwneud gorchymyn gofal",
    ),
    "family network meeting": (
        "Cyfarfod rhwydwaith teulu",
        "cyfarfod lle mae eich teulu a'ch ffrindiau'n gwneud cynllun",
    ),
}

# Languages adults ask for an interpreter in, named in Welsh (others stay as typed).
LANGUAGE_NAMES: dict[str, str] = {
    "english": "Saesneg",
    "welsh": "Cymraeg",
    "polish": "Pwyleg",
    "arabic": "Arabeg",
    "urdu": "Wrdw",
    "punjabi": "Pwnjabeg",
    "bengali": "Bengaleg",
    "romanian": "Rwmaneg",
    "portuguese": "Portiwgaleg",
    "spanish": "Sbaeneg",
    "french": "Ffrangeg",
    "german": "Almaeneg",
    "italian": "Eidaleg",
    "lithuanian": "Lithwaneg",
    "turkish": "Tyrceg",
    "somali": "Somaleg",
    "kurdish": "Cwrdeg",
    "farsi": "Ffarsi",
    "chinese": "Tsieinëeg",
    "mandarin": "Mandarin",
    "cantonese": "Cantoneg",
    "bsl": "BSL (Iaith Arwyddion Prydain)",
    "british sign language": "BSL (Iaith Arwyddion Prydain)",
}

# The English wording of list items the English builders give (timetable, enclosures),
# in Welsh; an item not listed stays in English.
PHRASES: dict[str, str] = {
    "review meeting": "Cyfarfod adolygu",
    "first review meeting": "Cyfarfod adolygu cyntaf",
    "second review meeting": "Ail gyfarfod adolygu",
    "final review meeting": "Cyfarfod adolygu olaf",
    "our meeting with you": "Ein cyfarfod gyda chi",
    "meeting with you": "Cyfarfod gyda chi",
    "we decide whether to go to court": "Byddwn yn penderfynu a ydym am fynd i'r llys",
    "we decide what happens next": "Byddwn yn penderfynu beth sy'n digwydd nesaf",
    "decision point": "Byddwn yn penderfynu beth sy'n digwydd nesaf",
    "our application to the court": "Ein cais i'r llys",
    "the application to the court": "Y cais i'r llys",
    "our social work statement": "Ein datganiad gwaith cymdeithasol",
    "the social work statement": "Y datganiad gwaith cymdeithasol",
    "our care plan": "Ein cynllun gofal",
    "the care plan": "Y cynllun gofal",
    "the threshold document": "Y ddogfen trothwy",
    "our threshold document": "Ein dogfen trothwy",
    "the court's notice of the first hearing": "Llythyr y llys am y gwrandawiad cyntaf",
    "the list of documents": "Y rhestr o ddogfennau",
    "the index of documents": "Y rhestr o ddogfennau",
    # The English builder's own wording (letters/builders.py: TIMETABLE_WORDS, the
    # letter of issue's enclosures).
    "a meeting to check how things are going": "Cyfarfod i wirio sut mae pethau'n mynd",
    "we decide if we need to go to court": "Byddwn yn penderfynu a oes angen i ni fynd i'r llys",
    "a copy of our application to the court": "Copi o'n cais i'r llys",
    "the papers we sent to the court with it": "Y papurau a anfonwyd gennym i'r llys gyda'r cais",
}

_ENGLISH_DATE = re.compile(r"^(?:[A-Z][a-z]+day )?(\d{1,2}) ([A-Z][a-z]+) (\d{4})$")
_ENGLISH_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        start=1,
    )
}
_ENGLISH_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?(am|pm)$")


# --- words --------------------------------------------------------------------------------


def long_date(day: dt.date | None) -> str:
    """ "dydd Mawrth 4 Ionawr 2028"."""
    if day is None:
        return ""
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date | None) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}" if day else ""


def clock_time(moment: dt.time | None) -> str:
    """ "10 y bore", "2:30 y prynhawn", "12 canol dydd", "7 yr hwyr"."""
    if moment is None:
        return ""
    if moment.hour == 12 and moment.minute == 0:
        return "12 canol dydd"
    hour = moment.hour % 12 or 12
    if moment.hour < 12:
        part = "y bore"
    elif moment.hour < 18:
        part = "y prynhawn"
    else:
        part = "yr hwyr"
    shown = str(hour) if moment.minute == 0 else f"{hour}:{moment.minute:02d}"
    return f"{shown} {part}"


def date_from_english(text: str) -> dt.date | None:
    """The date of an English written-out date ("Tuesday 4 January 2028", "4 January
    2028"), or None."""
    found = _ENGLISH_DATE.match(text.strip()) if text else None
    if not found or found.group(2) not in _ENGLISH_MONTHS:
        return None
    try:
        return dt.date(int(found.group(3)), _ENGLISH_MONTHS[found.group(2)], int(found.group(1)))
    except ValueError:
        return None


def date_text(text: str) -> str:
    """An English written-out date in Welsh (the same form); anything else unchanged."""
    day = date_from_english(text)
    if day is None:
        return text
    long = not text.strip()[0].isdigit()
    return long_date(day) if long else short_date(day)


def time_text(text: str) -> str:
    """An English clock time ("10am", "2:30pm", "12 noon") in Welsh."""
    if not text:
        return ""
    if text.strip() == "12 noon":
        return "12 canol dydd"
    found = _ENGLISH_TIME.match(text.strip())
    if not found:
        return text
    hour = int(found.group(1)) % 12 + (12 if found.group(3) == "pm" else 0)
    return clock_time(dt.time(hour, int(found.group(2) or 0)))


def _and(name: str) -> str:
    """ "a" before a consonant, "ac" before a vowel."""
    return "ac" if name[:1].lower() in "aeiouwyâêîôûŵŷ" else "a"


def join_words(items: Sequence[str]) -> str:
    """ "Amy", "Amy a Ben", "Amy, Ben ac Elis"."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {_and(items[-1])} " + items[-1]


def phrase(text: str) -> str:
    return PHRASES.get(text.strip().lower().rstrip("."), text)


def language_name(name: str) -> str:
    return LANGUAGE_NAMES.get(name.strip().lower(), name)


def _is_parent(adult: AdultFacts) -> bool:
    return adult.relationship in {"mother", "father", "step_parent"}


# --- the Welsh part of the context ------------------------------------------------------


def _children(facts: LetterFacts) -> Context:
    baby = "eich babi" if _is_parent(facts.recipient) else "y babi"
    firsts, names, listed = [], [], []
    for child in facts.children:
        if child.unborn:
            due = long_date(child.expected_date_of_birth)
            firsts.append(baby)
            names.append(f"{baby} (disgwylir ar {due})")
            listed.append({"name": "Babi heb ei eni eto", "born": f"dyddiad disgwyl: {due}"})
            continue
        firsts.append(child.first_name or child.last_name)
        full = f"{child.first_name} {child.last_name}".strip()
        names.append(full)
        born = f"dyddiad geni: {short_date(child.date_of_birth)}" if child.date_of_birth else ""
        listed.append({"name": full, "born": born})
    return {
        "children": listed,
        "children_names": join_words(names),
        "children_first": join_words(firsts),
    }


def _who(english: str, facts: LetterFacts) -> str:
    """The "For you and Dean Marsh" column in Welsh: "I chi a Dean Marsh"."""
    if english == "For everyone":
        return "I bawb"
    if english == "For you":
        return "I chi"
    if english.startswith("For you and "):
        others = english.removeprefix("For you and ")
        return f"I chi {_and(others)} {others}"
    if english.startswith("For "):
        return "I " + english.removeprefix("For ")
    return english


def _expectations(rows: Sequence[Mapping[str, Any]], facts: LetterFacts) -> list[Context]:
    welsh = []
    for row in rows:
        item = dict(row)
        item["who"] = _who(str(row.get("who", "")), facts)
        item["due"] = date_text(str(row.get("due", "")))
        item["status"] = STATUS.get(str(row.get("status_code", "")), "")
        item["reviewed_on"] = date_text(str(row.get("reviewed_on", "")))
        welsh.append(item)
    return welsh


def _glossary(entries: Sequence[Mapping[str, Any]]) -> list[Context]:
    """The glossary in Welsh; a term with no Welsh entry (one a council added) keeps its
    English term and meaning."""
    out, seen = [], set()
    for entry in entries:
        term = str(entry.get("term", ""))
        found = GLOSSARY.get(term.lower())
        name, meaning = found if found else (term, str(entry.get("meaning", "")))
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        out.append({"term": name, "meaning": meaning})
    return sorted(out, key=lambda e: e["term"].lower())


def _progress(context: Mapping[str, Any]) -> Context:
    """Where the expectations stand (the English context's `progress`, else worked out
    from the statuses)."""
    given = _sub(context, "progress")
    codes = [str(row.get("status_code", "")) for row in context.get("expectations") or []]
    return {
        "all_done": bool(given.get("all_done", bool(codes) and all(c == "met" for c in codes))),
        "any_not_done": bool(given.get("any_not_done", "not_met" in codes)),
        "any_partly": bool(given.get("any_partly", "partly_met" in codes)),
        "any_not_due": bool(given.get("any_not_due", "not_yet_due" in codes)),
    }


def _sub(context: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = context.get(key)
    return value if isinstance(value, Mapping) else {}


def welsh_words(context: Mapping[str, Any], facts: LetterFacts) -> Context:
    """The `cy` part of a Welsh or bilingual letter's context (see the module's text)."""
    meeting = _sub(context, "meeting")
    plan = _sub(context, "plan")
    plan_name, plan_sentence = PLAN.get(str(plan.get("name", "")), PLAN[""])
    reply = _sub(context, "reply")
    hearing = _sub(context, "hearing")
    signatory = _sub(context, "signatory")
    family_network = _sub(context, "family_network")
    recipient = facts.recipient
    return {
        "letter_date": long_date(facts.today),
        **_children(facts),
        "baby_due": date_text(str(_sub(context, "baby").get("due", ""))),
        "recipient_language": language_name(recipient.preferred_language or "English"),
        "expectations": _expectations(context.get("expectations") or [], facts),
        "assessments": [
            {**item, "when": date_text(str(item.get("when", "")))}
            for item in context.get("assessments") or []
        ],
        "meeting": {
            "date": date_text(str(meeting.get("date", ""))),
            "time": time_text(str(meeting.get("time", ""))),
        },
        "gateway_date": date_text(str(_sub(context, "gateway").get("date", ""))),
        "review_date": date_text(str(_sub(context, "review").get("date", ""))),
        "extension_new_end": date_text(str(_sub(context, "extension").get("new_end", ""))),
        "lbp_date": date_text(str(_sub(context, "lbp").get("date", ""))),
        "ended_on": date_text(str(context.get("ended_on", ""))),
        "plan": {"name": plan_name, "sentence": plan_sentence},
        "decision_date": date_text(str(context.get("decision_date", ""))),
        "issued_date": date_text(str(_sub(context, "issued").get("date", ""))),
        "application_due": date_text(str(context.get("application_due", ""))),
        "timetable": [
            {
                "what": phrase(str(item.get("what", ""))),
                "date": date_text(str(item.get("date", ""))),
            }
            for item in context.get("timetable") or []
        ],
        "reply": {
            "phone": str(reply.get("phone") or _sub(context, "council").get("phone", "")),
            "email": str(reply.get("email") or _sub(context, "council").get("email", "")),
            "by": date_text(str(reply.get("by", ""))),
        },
        "family_network": {
            "offer": bool(family_network.get("offer", facts.nation == "wales")),
        },
        "hearing": {
            "has": bool(hearing.get("has", False)),
            "date": date_text(str(hearing.get("date", ""))),
            "time": time_text(str(hearing.get("time", ""))),
            "court": str(hearing.get("court", "")),
        },
        "enclosures": [phrase(str(item)) for item in context.get("enclosures") or []],
        "signatory": {
            "has": bool(signatory.get("has", False)),
            "name": str(signatory.get("name", "")),
            "role": str(signatory.get("role", "")),
        },
        "progress": _progress(context),
        "glossary": _glossary(context.get("glossary") or []),
    }


def with_language(context: Context, facts: LetterFacts, language: str) -> Context:
    """The context of a letter in `language`: the English context, plus the Welsh words
    for a Welsh or bilingual letter."""
    if language == LetterLanguage.ENGLISH:
        return context
    return {**context, "cy": welsh_words(context, facts)}
