"""The import page's form: the file, an optional column mapping, check or import."""

from __future__ import annotations

from django import forms

from legaltracker.core.forms import text_field

from .parsing import MAX_BYTES

CHECK = "check"
IMPORT = "import"


class ImportForm(forms.Form):
    file = forms.FileField(
        label="The tracker file",
        help_text=f"A .csv file (CSV UTF-8) or an .xlsx workbook, at most "
        f"{MAX_BYTES // 1024 // 1024} MB. The first sheet is read; its first row holds "
        "the headings.",
        error_messages={
            "required": "Choose the tracker file to upload",
            "empty": "The file is empty: upload the tracker with its heading row",
            "invalid": "Choose the tracker file to upload",
        },
        widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload"}),
    )
    mapping = text_field(
        "Column mapping (optional)",
        required=False,
        long=True,
        rows=4,
        max_length=5000,
        hint="Only for headings the import does not recognise: one per line, for example "
        "'Case no = reference'. The field names are in the template sheet.",
    )
