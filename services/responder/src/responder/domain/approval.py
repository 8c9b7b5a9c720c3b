"""When a reply waits for a supervisor's approval, and who may approve it."""

from datetime import date, datetime, timedelta

from civic_contracts import Actor
from civic_contracts.permissions import approval_refusal

from responder.domain.calendar import BusinessCalendar
from responder.domain.policy import ApprovalRules


def approval_reasons(
    *,
    rules: ApprovalRules,
    actor: Actor,
    public: bool,
    abusive_thread: bool,
    at: datetime,
    calendar: BusinessCalendar,
    account_id: str | None = None,
) -> list[str]:
    """Why this reply needs approval; empty when it may be sent at once. The out-of-hours lock holds every
    public reply outside business hours, whoever wrote it, unless the account is on the emergency list."""
    locked = (rules.out_of_hours_lock and public and not calendar.is_open(at)
              and account_id not in rules.emergency_accounts)
    if actor.role.value in rules.exempt_roles:
        return ["out-of-hours lock"] if locked else []
    reasons: list[str] = ["out-of-hours lock"] if locked else []
    if rules.abusive_thread_public and public and abusive_thread:
        reasons.append("public reply on an abusive thread")
    if rules.outside_business_hours and not calendar.is_open(at):
        reasons.append("outside business hours")
    if rules.new_staff_weeks and actor.staff_since is not None:
        if _today(at, calendar) < actor.staff_since + timedelta(weeks=rules.new_staff_weeks):
            reasons.append(f"staff in their first {rules.new_staff_weeks} weeks")
    return reasons


def _today(at: datetime, calendar: BusinessCalendar) -> date:
    return at.astimezone(calendar.zone).date()


def may_approve(actor: Actor, requested_by: str) -> str | None:
    """None when `actor` may approve a reply written by `requested_by`, else why not (the contracts' rule)."""
    return approval_refusal(actor.role.value, actor.user_id, requested_by)
