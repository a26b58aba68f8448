"""The query strings of "Find a case" and of the team case list. A value that cannot be
used is a form error with a message a person can act on, never a 500."""

from __future__ import annotations

from typing import Any

from django import forms

from legaltracker.cases.search import MAX_QUERY_LENGTH, QueryError, parse_query
from legaltracker.core.forms import select_field, text_field

PAGE_SIZE = 25
TEAM_PAGE_SIZE = 50
QUERY_HINT = (
    "A case reference, a child's or adult's name, a child's date of birth (like 3/4/2026 "
    "or 3 April 2026), an LA child id or a court case number"
)
EMPTY_QUERY = (
    "Enter a case reference, a name, a date of birth, an LA child id or a court case number."
)

TEAM_SORTS = {
    "reference": "Reference, A to Z",
    "next_deadline": "Next deadline, earliest first",
}


def _page_field() -> forms.CharField:
    # Any page "number" is accepted, text too: Paginator.get_page shows the nearest page.
    return forms.CharField(required=False, widget=forms.HiddenInput)


class FindForm(forms.Form):
    q = text_field(
        "Find a case",
        required=True,
        # One more than allowed, so that a long query reaches parse_query's message.
        max_length=MAX_QUERY_LENGTH + 1,
        hint=QUERY_HINT,
        error=EMPTY_QUERY,
        messages={"max_length": f"Search for {MAX_QUERY_LENGTH} characters or fewer."},
    )
    page = _page_field()

    def clean_q(self) -> Any:
        text = self.cleaned_data["q"]
        try:
            query = parse_query(text)
        except QueryError as err:
            raise forms.ValidationError(str(err)) from err
        if not query:
            raise forms.ValidationError(EMPTY_QUERY)
        return query

    def clean_page(self) -> str:
        return self.cleaned_data.get("page") or "1"


class TeamListForm(forms.Form):
    closed = forms.BooleanField(label="Include closed cases", required=False)
    mine = forms.BooleanField(label="Only my cases", required=False)
    sort = select_field(
        "Sort by",
        TEAM_SORTS.items(),
        error="Choose how to sort from the list.",
        required=False,
        blank=None,
    )
    page = _page_field()

    def options(self) -> dict[str, Any]:
        """The valid choices; a field with an error falls back to its default."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return {
            "closed": bool(data.get("closed")),
            "mine": bool(data.get("mine")),
            "sort": data.get("sort") or "reference",
            "page": data.get("page") or "1",
        }
