"""The role x transition permission matrix, generated from `Role` and the model's
transitions, checked against the roles on each transition's spec and against
docs/domain/roles.md.

Each cell is a real case at a stage where the transition is available, with valid
values: a permitted role moves it, any other role is refused with 403 and nothing
changes. Team roles of ANOTHER team, administrators and performance officers cannot see
the case at all, so
they get 404 (the service does not reveal that a case exists to someone with no reason
to see it).
"""

from __future__ import annotations

import pytest

from legaltracker.accounts.models import Role
from legaltracker.cases import services
from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case, CaseEvent
from legaltracker.cases.transitions import TRANSITIONS
from legaltracker.core.errors import NotFound, NotPermitted
from tests.factories import case_at

from .builders import (
    STAGES,
    TRANSITION_EDGES,
    TRANSITION_NAMES,
    first_source,
    prepare_valid,
    snapshot,
)

# The roles on each transition's spec, as (own team's cases, any case), and who approves.
TRANSITION_ROLES = {name: (spec.team_roles, spec.any_roles) for name, spec in TRANSITIONS.items()}
EXTENSION_APPROVER_ROLES = {
    name: spec.approvers for name, spec in TRANSITIONS.items() if spec.approvers
}
SW, TM, HOS = Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE
LEGAL, CLO, ADMIN = Role.LEGAL, Role.COURT_LIAISON_OFFICER, Role.ADMINISTRATOR
PERFORMANCE = Role.PERFORMANCE_OFFICER

OTHER_TEAM = ["other_team:social_worker", "other_team:team_manager"]
# docs/domain/roles.md: a case's details are for its team, legal, the CLO and senior
# managers; the others are told there is no such case (404), not that they may not act.
# The performance officer reads figures, never a case.
CANNOT_SEE = {str(ADMIN), str(PERFORMANCE), *OTHER_TEAM}
ACTORS = [str(role) for role in Role] + OTHER_TEAM
CELLS = [(name, actor) for name in TRANSITION_NAMES for actor in ACTORS]

# docs/domain/roles.md ("The roles"), read transition by transition. MUST_ALLOW: the
# table says this role may do it. MUST_DENY: the table gives this role no such power. Where
# it is silent the code's table decides (the report lists those grants).
GATEWAY_DECISIONS = ["gateway_continue_plan", "gateway_enter_pre_proceedings", "gateway_issue"]
DOMAIN_MUST_ALLOW: dict[str, set[str]] = {
    "refer_to_gateway": {SW, TM},  # SW "refer to gateway"; TM "everything a SW may"
    **{name: {HOS, LEGAL} for name in GATEWAY_DECISIONS},  # HOS and legal record them
    "extend_pre_proceedings": set(),  # who records is not said; HOS approves (below)
    "step_down": {TM},  # "step down (with a decision record)"
    "escalate_to_gateway": {SW, TM},  # a referral to the gateway
    "issue_proceedings": {LEGAL},  # "record issue and court events"
    "extend_timetable": {LEGAL},  # a court event
    "conclude_proceedings": {LEGAL},  # the final order is a court event
    "close": {HOS},  # "close cases"
}
DOMAIN_MUST_DENY: dict[str, set[str]] = {
    name: {ADMIN, PERFORMANCE}  # "configuration only"; "figures, never a case"
    | (
        {CLO}
        if name not in {"issue_proceedings", "extend_timetable", "conclude_proceedings"}
        else set()
    )
    | ({SW} if name not in {"refer_to_gateway", "escalate_to_gateway"} else set())
    for name in TRANSITION_NAMES
}
# A team manager's powers are the social worker's plus sign-off, oversight and step down.
for name in [
    *GATEWAY_DECISIONS,
    "issue_proceedings",
    "extend_timetable",
    "conclude_proceedings",
    "close",
]:
    DOMAIN_MUST_DENY[name] |= {TM}


def table_permits(name: str, actor: str) -> bool:
    team_roles, any_roles = TRANSITION_ROLES[name]
    if actor in OTHER_TEAM:
        return actor.split(":")[1] in any_roles
    return actor in any_roles or actor in team_roles


def user_for(actor: str, staff, other_staff):
    if actor in OTHER_TEAM:
        return other_staff.by_role(actor.split(":")[1])
    return staff.by_role(actor)


def test_the_table_covers_every_transition() -> None:
    assert set(TRANSITION_ROLES) == set(TRANSITION_NAMES)
    assert set(EXTENSION_APPROVER_ROLES) == {"extend_pre_proceedings", "extend_timetable"}


@pytest.mark.parametrize("name", TRANSITION_NAMES)
def test_the_table_agrees_with_domain_md(name) -> None:
    permitted = {str(role) for role in Role if table_permits(name, str(role))}
    assert DOMAIN_MUST_ALLOW[name] <= permitted, (
        f"docs/domain/roles.md allows {DOMAIN_MUST_ALLOW[name] - permitted}"
    )
    assert not DOMAIN_MUST_DENY[name] & permitted, (
        f"docs/domain/roles.md denies {DOMAIN_MUST_DENY[name] & permitted}"
    )


def test_the_head_of_service_approves_every_extension() -> None:
    # docs/domain/roles.md: the head of service may "approve extensions".
    assert all(HOS in roles for roles in EXTENSION_APPROVER_ROLES.values())
    assert all(
        not roles & {SW, CLO, ADMIN, PERFORMANCE} for roles in EXTENSION_APPROVER_ROLES.values()
    )


def test_team_roles_act_only_for_their_team_and_others_act_anywhere() -> None:
    for team_roles, any_roles in TRANSITION_ROLES.values():
        assert team_roles <= {SW, TM}
        assert not any_roles & {SW, TM, ADMIN, PERFORMANCE}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "actor"), CELLS, ids=[f"{n}-{a}" for n, a in CELLS])
def test_role_transition_matrix(staff, other_staff, today, name, actor):
    stage = first_source(name)
    case = case_at(stage, staff)
    data = prepare_valid(name, case, staff, today)
    user = user_for(actor, staff, other_staff)
    before = snapshot(case.pk)

    if table_permits(name, actor):
        services.case_transition(case_id=case.pk, transition=name, actor=user, data=data)
        assert Case.objects.get(pk=case.pk).stage == TRANSITION_EDGES[(stage, name)]
        assert CaseEvent.objects.filter(case=case, action="transition").latest("id").actor == user
        return

    expected = NotFound if actor in CANNOT_SEE else NotPermitted
    with pytest.raises(expected) as refused:
        services.case_transition(case_id=case.pk, transition=name, actor=user, data=data)
    if expected is NotPermitted:
        assert refused.value.status == 403
        assert "Your role cannot do this on this case" in refused.value.message
        assert services.transition_label(name) in refused.value.message
    else:
        assert refused.value.status == 404
        assert "no case with that id that you can see" in refused.value.message
    assert snapshot(case.pk) == before


@pytest.mark.django_db
@pytest.mark.parametrize("stage", STAGES)
def test_available_transitions_are_the_permitted_ones_at_the_stage(
    staff, other_staff, today, stage
):
    case = case_at(stage, staff)
    at_stage = {name for (source, name) in TRANSITION_EDGES if source == stage}
    for actor in ACTORS:
        user = user_for(actor, staff, other_staff)
        expected = {name for name in at_stage if table_permits(name, actor)}
        assert set(services.available_transitions(case, user)) == expected, actor


@pytest.mark.django_db
def test_an_inactive_user_can_do_nothing(staff, today):
    case = case_at(Stage.CONCERN, staff)
    staff.head_of_service.is_active = False
    staff.head_of_service.save()
    before = snapshot(case.pk)
    with pytest.raises(NotFound):
        services.case_transition(
            case_id=case.pk,
            transition="close",
            actor=staff.head_of_service,
            data={"date": today.isoformat(), "outcome": "withdrawn", "reasons": "x"},
        )
    assert snapshot(case.pk) == before


@pytest.mark.django_db
def test_permission_is_checked_before_the_stage(staff, today):
    # A role that may never do a transition learns that, not which stages allow it.
    case = case_at(Stage.CLOSED, staff)
    with pytest.raises(NotPermitted):
        services.case_transition(
            case_id=case.pk, transition="issue_proceedings", actor=staff.social_worker, data={}
        )
