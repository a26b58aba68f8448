"""The court diary (a week or a day of hearings, its printed court list and exports)
and a lawyer's "My cases", under /court/."""

from django.urls import path

from . import diary

app_name = "court_diary"

urlpatterns = [
    path("diary/", diary.diary, name="diary"),
    path("diary/print/", diary.diary_print, name="diary_print"),
    path("diary/export.csv", diary.diary_csv, name="diary_csv"),
    path("diary/export.xlsx", diary.diary_xlsx, name="diary_xlsx"),
    path("my-cases/", diary.my_cases_page, name="my_cases"),
]
