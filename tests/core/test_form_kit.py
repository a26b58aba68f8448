"""The GOV.UK form kit (legaltracker/core/forms.py): every form's dates read the same
spellings, and the letters' forms take their fields from the kit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from legaltracker.core.forms import DATE_INPUT_FORMATS, date_field


@pytest.mark.parametrize(
    "typed", ["27/3/2026", "2026-03-27", "27 March 2026", "27 Mar 2026", "27-3-2026", "27.3.2026"]
)
def test_a_date_field_reads_every_spelling_people_type(typed):
    assert date_field("Date of the hearing").clean(typed) == dt.date(2026, 3, 27)


def test_the_letters_dates_read_day_dot_month_dot_year_like_the_case_pages():
    from letters.forms import SentForm

    form = SentForm({"date": "27.3.2026", "method": "post"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date"] == dt.date(2026, 3, 27)
    assert SentForm.base_fields["date"].input_formats == DATE_INPUT_FORMATS


def test_an_unreadable_date_says_how_to_write_it():
    field = date_field("Date it was sent")
    with pytest.raises(ValidationError) as refused:
        field.clean("32.13.2026")
    assert "Enter a real date, for example 27/3/2026" in str(refused.value)
