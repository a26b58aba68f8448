"""Pages of the web app that belong to no case: home, sign in and out, My work, reports.

Views are thin: check who is asking, call one selector, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from legaltracker.accounts.http import AuthenticatedHttpRequest
from legaltracker.accounts.models import BOARD_ROLES, Role
from legaltracker.core import clock
from legaltracker.deadlines.selectors import Today

from . import reporting, selectors
from .access import (
    APPROVALS_ROLES,
    CENSUS_ROLES,
    INSPECTION_LIST_ROLES,
    MY_WORK_ROLES,
    PERFORMANCE_REPORT_ROLES,
    REPORTS_ROLES,
    has_role,
    url_if_built,
)
from .forms import SignInForm


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to the page their day starts on."""
    user = request.user
    if has_role(user, MY_WORK_ROLES):
        return redirect("web:my_work")
    if has_role(user, BOARD_ROLES):
        return redirect(reverse("board:board"))
    performance = url_if_built("performance:reports")
    if performance and has_role(user, PERFORMANCE_REPORT_ROLES):
        # The performance officer: the figures, never a case (docs/domain/roles.md).
        return redirect(performance)
    figures = [
        (label, url)
        for label, url, roles in (
            ("Performance over time", performance, PERFORMANCE_REPORT_ROLES),
            ("Census return", url_if_built("census:return"), CENSUS_ROLES),
            ("Inspection list", url_if_built("inspection:list"), INSPECTION_LIST_ROLES),
        )
        if url and has_role(user, roles)
    ]
    return render(request, "home.html", {"admin_url": reverse("admin:index"), "figures": figures})


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET): a link cannot sign anyone out."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have signed out.")
        return response


@login_required
def my_work(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not has_role(user, MY_WORK_ROLES):
        raise PermissionDenied("My work is for social workers and team managers.")
    today = Today.now()
    if user.role == Role.TEAM_MANAGER:
        team_work = selectors.team_manager_work(user=user, today=today)
        context = {"work": team_work, "today": today, "waiting": selectors.approvals_count(user)}
        return render(request, "web/my_work_team_manager.html", context)
    work = selectors.social_worker_work(user=user, today=today)
    return render(request, "web/my_work_social_worker.html", {"work": work, "today": today})


@login_required
def reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not has_role(user, REPORTS_ROLES):
        raise PermissionDenied(
            "Reports are for managers, the legal team and the court liaison officer."
        )
    teams = selectors.report_teams(user)
    team = None
    if teams:
        chosen = request.GET.get("team", "")
        team = next((t for t in teams if t.code == chosen), None)
    elif user.role == Role.TEAM_MANAGER:
        team = user.team
    data = selectors.reports(user=user, today=Today.now(), team=team)
    return render(
        request,
        "web/reports.html",
        {
            "data": data,
            "charts": reporting.charts(data),
            "teams": teams,
            "team": team,
        },
    )


@login_required
def approvals(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What waits for this person's approval: letters (team managers, lawyers) and
    extension requests (heads of service)."""
    user = request.user
    if not has_role(user, APPROVALS_ROLES):
        raise PermissionDenied(
            "Approvals are for team managers, the legal team and heads of service."
        )
    data = selectors.approvals(user=user, today=clock.today())
    return render(request, "web/approvals.html", {"approvals": data})
