"""Django forms render GOV.UK Frontend markup through templates/django/forms/."""

from __future__ import annotations

import re

from django import forms
from django.template.loader import render_to_string
from django.test import RequestFactory

from legaltracker.core.forms import DateInput


class ExampleForm(forms.Form):
    reference = forms.CharField(label="Court reference", help_text="For example, ZW26C00001")
    reasons = forms.CharField(label="Reasons", widget=forms.Textarea)
    stage = forms.ChoiceField(label="Stage", choices=[("", "Choose"), ("issue", "Issue")])
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("care_order", "Care order"), ("no_order", "No order")],
        widget=forms.RadioSelect,
        help_text="The final order the court made",
    )
    documents = forms.MultipleChoiceField(
        label="Documents ready",
        choices=[("chronology", "Chronology"), ("care_plan", "Care plan")],
        widget=forms.CheckboxSelectMultiple,
    )
    urgent = forms.BooleanField(label="Short-notice issue", required=True)
    date = forms.DateField(label="Date of the decision", widget=DateInput)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("This case is at the concern stage.")


def _html(form: forms.Form) -> str:
    return str(form)


def test_unbound_form_is_govuk_markup():
    html = _html(ExampleForm())
    assert html.count('<div class="govuk-form-group">') == 7
    assert (
        '<label class="govuk-label govuk-label--s" for="id_reference">Court reference</label>'
        in html
    )
    assert (
        '<div class="govuk-hint" id="id_reference_helptext">For example, ZW26C00001</div>' in html
    )
    assert re.search(
        r'<input type="text" name="reference" class="govuk-input"'
        r'[^>]*aria-describedby="id_reference_helptext"',
        html,
    )
    assert re.search(r'<textarea name="reasons" class="govuk-textarea"', html)
    assert re.search(r'<select name="stage" class="govuk-select"', html)
    # Radios and checkboxes sit in a fieldset whose legend is the question.
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_outcome_helptext">' in html
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Outcome</legend>' in html
    )
    assert '<div class="govuk-radios" data-module="govuk-radios">' in html
    assert re.search(
        r'<input type="radio" name="outcome" value="care_order" class="govuk-radios__input"'
        r'[^>]*id="id_outcome_0"',
        html,
    )
    assert (
        '<label class="govuk-label govuk-radios__label" for="id_outcome_0">Care order</label>'
        in html
    )
    assert '<div class="govuk-checkboxes" data-module="govuk-checkboxes">' in html
    assert re.search(
        r'<input type="checkbox" name="documents" value="chronology" '
        r'class="govuk-checkboxes__input"',
        html,
    )
    # A single checkbox: the label follows the box.
    assert re.search(
        r'<input type="checkbox" name="urgent" class="govuk-checkboxes__input"'
        r'[^>]*id="id_urgent"[^>]*>\s*'
        r'<label class="govuk-label govuk-checkboxes__label" for="id_urgent">'
        r"Short-notice issue</label>",
        html,
    )
    assert re.search(
        r'<input type="date" name="date" class="govuk-input govuk-input--width-10"', html
    )
    # Hidden inputs get no GOV.UK class.
    assert re.search(r'<input type="hidden" name="version" id="id_version">', html)


def test_bound_form_with_errors_is_govuk_error_markup():
    form = ExampleForm(data={"reference": "", "outcome": "", "date": "2026-02-30", "version": "x"})
    assert not form.is_valid()
    html = _html(form)
    assert html.count("govuk-form-group govuk-form-group--error") == 7
    assert (
        '<p class="govuk-error-message" id="id_reference_error">'
        '<span class="govuk-visually-hidden">Error:</span> This field is required.</p>'
    ) in html
    assert re.search(
        r'class="govuk-input govuk-input--error"[^>]*aria-invalid="true"[^>]*'
        r'aria-describedby="id_reference_helptext id_reference_error"',
        html,
    )
    assert 'class="govuk-textarea govuk-textarea--error"' in html
    assert 'class="govuk-select govuk-select--error"' in html
    assert (
        '<fieldset class="govuk-fieldset" aria-describedby="id_outcome_helptext id_outcome_error">'
        in html
    )
    assert 'class="govuk-input govuk-input--error govuk-input--width-10"' in html
    # Form-level errors (a refused guard) and hidden-field errors show beside the form too.
    assert "This case is at the concern stage." in html


def test_error_summary_lists_every_error_and_links_to_each_field():
    form = ExampleForm(data={"reference": "", "outcome": "", "documents": []})
    form.is_valid()
    html = render_to_string("includes/error_summary.html", {"form": form})
    assert '<div class="govuk-error-summary" data-module="govuk-error-summary">' in html
    assert '<div role="alert">' in html
    assert "<li>This case is at the concern stage.</li>" in html
    assert '<a href="#id_reference">This field is required.</a>' in html
    assert '<a href="#id_reasons">' in html
    # A set of radios or checkboxes: the link goes to the first option.
    assert '<a href="#id_outcome_0">' in html
    assert '<a href="#id_documents_0">' in html
    assert '<a href="#id_urgent">' in html
    # A hidden field's error cannot be a link to something nobody can see.
    assert '<a href="#id_version">' not in html


def test_error_summary_is_empty_for_a_valid_or_unbound_form():
    assert render_to_string("includes/error_summary.html", {"form": ExampleForm()}).strip() == ""


def test_values_typed_by_users_are_escaped():
    form = ExampleForm(
        data={"reference": '"><script>alert(1)</script>', "reasons": "</textarea><b>"}
    )
    form.is_valid()
    html = _html(form)
    assert "<script>alert(1)</script>" not in html
    assert "&quot;&gt;&lt;script&gt;" in html
    assert "&lt;/textarea&gt;&lt;b&gt;" in html


def test_date_input_round_trips_iso_dates():
    form = ExampleForm(initial={"date": "2026-03-04"})
    assert 'value="2026-03-04"' in _html(form)
    import datetime as dt

    bound = ExampleForm(data={"date": "2026-03-04"})
    bound.is_valid()
    assert bound.cleaned_data["date"] == dt.date(2026, 3, 4)


def test_tags_say_the_status_in_words():
    red = render_to_string("includes/rag_tag.html", {"rag": "red"})
    assert 'class="govuk-tag govuk-tag--red app-tag--rag"' in red and "Red: overdue" in red
    assert "Amber" in render_to_string("includes/rag_tag.html", {"rag": "amber"})
    assert "Green" in render_to_string("includes/rag_tag.html", {"rag": "green"})
    words = {
        "pending": "Pending",
        "due_soon": "Due soon",
        "overdue": "Overdue",
        "met": "Met",
        "met_late": "Met late",
        "not_applicable": "No longer applies",
    }
    for status, text in words.items():
        html = render_to_string("includes/deadline_status_tag.html", {"status": status})
        assert f">{text}</strong>" in html, status


def test_field_group_renders_alone():
    form = ExampleForm()
    html = form["reference"].as_field_group()
    assert html.startswith('<div class="govuk-form-group">')
    request = RequestFactory().get("/")
    assert request  # rendering needs no request context
