"""Pure context builders: `LetterFacts` in, a plain JSON-ready dict out.

Every value is text, a number, a boolean, or a list or dict of those, so that the
context can be stored with the letter and rendered again later. Dates are written out
("Tuesday 4 January 2028"), never "soon". The builders choose the words that depend on
the family (names, "your baby"), and fill the glossary box with every jargon term the
letter uses, from its fixed wording and from what people typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .choices import EXPECTATION_STATUS_PLAIN, ExpectationStatus, LetterKind
from .facts import AdultFacts, ExpectationFacts, LetterFacts
from .readability import JargonList, find_jargon

Context = dict[str, Any]

# Jargon that each kind's own wording uses on purpose (and so always explains).
TEMPLATE_TERMS: dict[str, tuple[str, ...]] = {
    LetterKind.LETTER_BEFORE_PROCEEDINGS: (
        "letter before proceedings",
        "care order",
        "supervision order",
        "advocate",
    ),
    LetterKind.LETTER_BEFORE_PROCEEDINGS_UNBORN: (
        "letter before proceedings",
        "care order",
        "supervision order",
        "advocate",
    ),
    LetterKind.GATEWAY_OUTCOME: (),
    LetterKind.REVIEW_OUTCOME: (),
    LetterKind.END_OF_PRE_PROCEEDINGS: ("letter before proceedings",),
    LetterKind.LETTER_OF_ISSUE: ("hearing", "children's guardian", "care order", "advocate"),
}

# What each step-down plan means, in a sentence a parent can use.
PLAN_AFTER_STEP_DOWN = {
    "child_protection_plan": (
        "a child protection plan",
        "This is a plan to keep them safe. We will make it with you at a meeting.",
    ),
    "child_in_need_plan": (
        "a child in need plan",
        "This is a plan for the help your family gets from us.",
    ),
    "no_further_action": (
        "",
        "We will close your family's file. This means we will stop working with you.",
    ),
}


# --- words ------------------------------------------------------------------------------


def long_date(day: dt.date | None) -> str:
    """ "Tuesday 4 January 2028" (docs/domain/letters.md: dates written out)."""
    if day is None:
        return ""
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_date(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def clock_time(moment: dt.time | None) -> str:
    """ "10am", "2:30pm", "12 noon"."""
    if moment is None:
        return ""
    if moment.hour == 12 and moment.minute == 0:
        return "12 noon"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def join_words(items: Sequence[str]) -> str:
    """ "Amy", "Amy and Ben", "Amy, Ben and Cal"."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _is_parent(adult: AdultFacts) -> bool:
    return adult.relationship in {"mother", "father", "step_parent"}


# --- shared parts --------------------------------------------------------------------


def _children(facts: LetterFacts) -> Context:
    baby = "your baby" if _is_parent(facts.recipient) else "the baby"
    firsts, names, listed = [], [], []
    for child in facts.children:
        if child.unborn:
            firsts.append(baby)
            names.append(f"{baby} (due on {long_date(child.expected_date_of_birth)})")
            listed.append(
                {"name": "Unborn baby", "born": f"due on {long_date(child.expected_date_of_birth)}"}
            )
            continue
        first = child.first_name or child.last_name
        firsts.append(first)
        full = f"{child.first_name} {child.last_name}".strip()
        names.append(full)
        born = f"born on {short_date(child.date_of_birth)}" if child.date_of_birth else ""
        listed.append({"name": full, "born": born})
    return {
        "children": listed,
        "children_names": join_words(names),
        "children_first": join_words(firsts),
        "many_children": len(firsts) > 1,
    }


def _recipient(facts: LetterFacts) -> Context:
    adult = facts.recipient
    return {
        "name": adult.name,
        "first_name": adult.first_name,
        "address": adult.address,
        "has_pr": adult.parental_responsibility,
        "interpreter": adult.interpreter_needed,
        "language": adult.preferred_language or "English",
        "advocate": adult.advocate_needed,
    }


def _council(facts: LetterFacts) -> Context:
    council = facts.council
    address = [str(line) for line in council.get("address", [])]
    return {
        "name": str(council.get("name", "")),
        "department": str(council.get("department", "")),
        "address": address,
        "address_line": ", ".join(address),
        "phone": str(council.get("phone", "")),
        "email": str(council.get("email", "")),
        "website": str(council.get("website", "")),
    }


def _staff(person: Any) -> Context:
    if person is None:
        return {"has": False, "name": "", "email": ""}
    return {"has": True, "name": person.name, "email": person.email}


def _legal(facts: LetterFacts) -> Context:
    """The council's legal contact: the one named in the letter details, else the lawyer
    allocated to the case (with the council's phone number)."""
    d = facts.details
    name, email = d.legal_contact_name, d.legal_contact_email
    if not name and facts.lawyer is not None:
        name, email = facts.lawyer.name, email or facts.lawyer.email
    return {
        "has": bool(name),
        "name": name,
        "phone": d.legal_contact_phone or str(facts.council.get("phone", "")),
        "email": email,
        "reference": d.legal_reference or facts.reference,
    }


def _who(expectation: ExpectationFacts, recipient: AdultFacts, adults: Sequence[AdultFacts]) -> str:
    names = {adult.id: adult.name for adult in adults}
    others = [names[i] for i in expectation.adult_ids if i != recipient.id and i in names]
    if recipient.id in expectation.adult_ids:
        return "For you" + (" and " + join_words(others) if others else "")
    return "For " + join_words(others) if others else "For everyone"


def _expectation_rows(facts: LetterFacts, *, only_recipient: bool) -> list[Context]:
    items = list(facts.expectations)
    if only_recipient:
        own = [e for e in items if facts.recipient.id in e.adult_ids]
        # A recipient with no items of their own (another chosen recipient) sees them all.
        items = own or items
    rows = []
    for number, e in enumerate(sorted(items, key=lambda e: (e.position, e.id)), start=1):
        latest = max(e.reviews, key=lambda r: r.reviewed_on) if e.reviews else None
        rows.append(
            {
                "number": number,
                "who": _who(e, facts.recipient, facts.adults),
                "action": e.action,
                "why": e.why_it_matters,
                "help": e.help_offered,
                "how": e.how_judged,
                "due": long_date(e.due_by),
                "due_iso": e.due_by.isoformat(),
                "status": EXPECTATION_STATUS_PLAIN.get(latest.status, "") if latest else "",
                "status_code": latest.status if latest else "",
                "review_note": latest.note if latest else "",
                "reviewed_on": long_date(latest.reviewed_on) if latest else "",
            }
        )
    return rows


def _meeting(facts: LetterFacts, *, after: dt.date | None = None) -> Context:
    d = facts.details
    has = d.meeting_date is not None and (after is None or d.meeting_date > after)
    return {
        "has": has,
        "date": long_date(d.meeting_date) if has else "",
        "date_iso": d.meeting_date.isoformat() if has and d.meeting_date else "",
        "time": clock_time(d.meeting_time) if has else "",
        "place": d.meeting_place if has else "",
        "video_link": d.meeting_video_link if has else "",
        "is_video": bool(has and d.meeting_video_link),
        "attendees": list(d.meeting_attendees) if has else [],
    }


def _solicitors(facts: LetterFacts) -> list[Context]:
    return [
        {"name": s.get("name", ""), "phone": s.get("phone", ""), "address": s.get("address", "")}
        for s in facts.solicitors
    ]


def _glossary(kind: str, facts: LetterFacts, context: Context, jargon: JargonList) -> list[Context]:
    """The terms the template's wording uses, plus any jargon in what people typed."""
    meanings = {term.term.lower(): (term.term, term.plain) for term in jargon}
    typed = "\n".join(_strings(context))
    wanted = [t.lower() for t in TEMPLATE_TERMS.get(kind, ())]
    wanted += [item["term"].lower() for item in find_jargon(typed, terms=jargon)]
    entries, seen = [], set()
    for term in wanted:
        if term in meanings and term not in seen:
            seen.add(term)
            name, plain = meanings[term]
            entries.append({"term": name[0].upper() + name[1:], "meaning": plain})
    return sorted(entries, key=lambda e: e["term"].lower())


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _signatory(facts: LetterFacts) -> Context:
    """Who signs for the council besides the social worker (the admin's council details)."""
    name = str(facts.council.get("signatory_name", "") or "")
    role = str(facts.council.get("signatory_role", "") or "")
    return {"has": bool(name), "name": name, "role": role}


def common(facts: LetterFacts) -> Context:
    """What every letter says: who from, to whom, about whom, who to talk to."""
    return {
        "nation": "wales" if facts.nation == "wales" else "england",
        "signatory": _signatory(facts),
        "council": _council(facts),
        "logo": facts.logo_sha256,
        "letter_date": long_date(facts.today),
        "reference": facts.reference,
        "recipient": _recipient(facts),
        **_children(facts),
        "social_worker": _staff(facts.social_worker),
        "team_manager": _staff(facts.team_manager),
        "team_name": facts.team_name,
        "legal": _legal(facts),
        "solicitors": _solicitors(facts),
        "note": {"has": bool(facts.note), "text": facts.note},
    }


def _finish(kind: str, facts: LetterFacts, context: Context, jargon: JargonList) -> Context:
    # Every value may have been typed by someone (a team's name too); the template's own
    # wording is covered by TEMPLATE_TERMS.
    context["glossary"] = _glossary(kind, facts, context, jargon)
    return context


# --- the letters -----------------------------------------------------------------------


TIMETABLE_WORDS = {
    "review": "A meeting to check how things are going",
    "decision": "We decide if we need to go to court",
}


def _timetable(facts: LetterFacts) -> list[Context]:
    """The review meetings and the decision point, as dates (from the tracker's deadlines)."""
    return [
        {
            "what": TIMETABLE_WORDS.get(step.what, step.what),
            "kind": step.what,
            "date": long_date(step.day),
            "date_iso": step.day.isoformat(),
        }
        for step in sorted(facts.timetable, key=lambda s: (s.day, s.what))
    ]


def _reply(facts: LetterFacts) -> Context:
    """How to reply: the social worker's email or the council's, the council's phone, and
    the day to reply by (the working day before the meeting)."""
    council = facts.council
    return {
        "phone": str(council.get("phone", "")),
        "email": facts.social_worker.email or str(council.get("email", "")),
        "by": long_date(facts.reply_by),
    }


def letter_before_proceedings(facts: LetterFacts, jargon: JargonList) -> Context:
    d = facts.details
    exception = bool(d.fgdm_exception_reason or facts.fgdm_exception_on_case)
    offer = facts.nation == "england" and not exception
    unborn = [c for c in facts.children if c.unborn]
    context = {
        **common(facts),
        "concerns": d.concerns,
        "history": d.history,
        "help_given": d.help_given,
        "expectations": _expectation_rows(facts, only_recipient=True),
        "assessments": [
            {"what": a.what, "why": a.why, "who": a.who, "when": long_date(a.when)}
            for a in d.assessments
        ],
        "fgdm": {
            "offer": offer,
            "how_to_accept": d.fgdm_how_to_accept if offer else "",
            "exception": bool(d.fgdm_exception_reason or facts.fgdm_exception_on_case),
        },
        # Wales: a family network meeting (England keeps the family group decision-making
        # offer in `fgdm`).
        "family_network": {"offer": facts.nation == "wales" and not exception},
        "timetable": _timetable(facts),
        "reply": _reply(facts),
        "meeting": _meeting(facts),
        "baby": {
            "has": bool(unborn),
            "due": long_date(unborn[0].expected_date_of_birth) if unborn else "",
        },
    }
    return _finish(facts.kind, facts, context, jargon)


def gateway_outcome(facts: LetterFacts, jargon: JargonList) -> Context:
    context = {
        **common(facts),
        "gateway": {"date": long_date(facts.gateway_meeting_on)},
        "expectations": _expectation_rows(facts, only_recipient=True),
    }
    return _finish(facts.kind, facts, context, jargon)


def _progress(rows: Sequence[Context]) -> Context:
    """Where the items stand, so that the words follow the statuses: "if things keep
    getting better" only when every item is done."""
    codes = [row["status_code"] for row in rows]
    return {
        "all_done": bool(codes) and all(c == ExpectationStatus.MET for c in codes),
        "any_not_done": any(c == ExpectationStatus.NOT_MET for c in codes),
        "any_partly": any(c == ExpectationStatus.PARTLY_MET for c in codes),
        "any_not_due": any(c in (ExpectationStatus.NOT_YET_DUE, "") for c in codes),
    }


def review_outcome(facts: LetterFacts, jargon: JargonList) -> Context:
    reviewed = [r.reviewed_on for e in facts.expectations for r in e.reviews]
    meetings = sorted({*facts.review_meetings, *reviewed})
    last = meetings[-1] if meetings else None
    extension = facts.extension
    rows = _expectation_rows(facts, only_recipient=True)
    context = {
        **common(facts),
        "review": {"date": long_date(last), "number": len(meetings)},
        "expectations": rows,
        "progress": _progress(rows),
        "extension": {
            "has": extension is not None,
            "new_end": long_date(extension.new_end) if extension else "",
            "reason": extension.reason if extension else "",
        },
        "meeting": _meeting(facts, after=last),
    }
    return _finish(facts.kind, facts, context, jargon)


def end_of_pre_proceedings(facts: LetterFacts, jargon: JargonList) -> Context:
    plan_name, plan_sentence = PLAN_AFTER_STEP_DOWN.get(
        facts.step_down_to, PLAN_AFTER_STEP_DOWN["no_further_action"]
    )
    context = {
        **common(facts),
        "lbp": {
            "has": facts.letter_before_proceedings_sent_on is not None,
            "date": long_date(facts.letter_before_proceedings_sent_on),
        },
        "ended_on": long_date(facts.closed_on or facts.today),
        "plan": {"has": bool(plan_name), "name": plan_name, "sentence": plan_sentence},
    }
    return _finish(facts.kind, facts, context, jargon)


def _hearing(facts: LetterFacts) -> Context:
    hearing = facts.hearing
    if hearing is None:
        return {"has": False, "date": "", "date_iso": "", "time": "", "court": ""}
    return {
        "has": True,
        "date": long_date(hearing.day),
        "date_iso": hearing.day.isoformat(),
        "time": clock_time(hearing.time),
        "court": hearing.court,
    }


def _enclosures(facts: LetterFacts) -> list[str]:
    """What comes with the letter of issue: the papers we serve, once they are at court
    (before that the letter says they will follow)."""
    if facts.issued_on is None:
        return []
    return [
        "A copy of our application to the court",
        "The papers we sent to the court with it",
    ]


def letter_of_issue(facts: LetterFacts, jargon: JargonList) -> Context:
    context = {
        **common(facts),
        "hearing": _hearing(facts),
        "enclosures": _enclosures(facts),
        "decision_date": long_date(facts.issue_decided_on),
        "issued": {
            "has": facts.issued_on is not None,
            "date": long_date(facts.issued_on),
            "court_reference": facts.court_reference,
        },
        "application_due": long_date(facts.application_due),
        "concerns": facts.details.concerns,
        "lbp": {
            "has": facts.letter_before_proceedings_sent_on is not None,
            "date": long_date(facts.letter_before_proceedings_sent_on),
        },
    }
    return _finish(facts.kind, facts, context, jargon)


BUILDERS: dict[str, Callable[[LetterFacts, JargonList], Context]] = {
    LetterKind.LETTER_BEFORE_PROCEEDINGS: letter_before_proceedings,
    LetterKind.LETTER_BEFORE_PROCEEDINGS_UNBORN: letter_before_proceedings,
    LetterKind.GATEWAY_OUTCOME: gateway_outcome,
    LetterKind.REVIEW_OUTCOME: review_outcome,
    LetterKind.END_OF_PRE_PROCEEDINGS: end_of_pre_proceedings,
    LetterKind.LETTER_OF_ISSUE: letter_of_issue,
}
