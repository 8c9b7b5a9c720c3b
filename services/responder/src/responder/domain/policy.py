"""The organisation's responder policy: business hours, SLA targets, duty rota, reply checks, approval
rules, assignment, official accounts, canned responses. Plain data; `config.load_policy` reads it from YAML."""

from datetime import time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from responder.domain.records import RetentionSchedule

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Strategy = Literal["manual", "round_robin", "least_loaded"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OpeningHours(_Model):
    start: time = Field(description="Opening time, local.")
    end: time = Field(description="Closing time, local (after `start`).")


class BusinessHours(_Model):
    timezone: str = Field(default="Europe/London", description="IANA time zone of the opening hours.")
    bank_holidays: Literal["ENG", "WLS", "SCT", "NIR"] | None = Field(
        default="ENG", description="UK bank holiday calendar (England, Wales, Scotland, Northern Ireland); none: no holidays."
    )
    week: dict[Weekday, OpeningHours] = Field(
        default_factory=lambda: {d: OpeningHours(start=time(9), end=time(17)) for d in WEEKDAYS[:5]},
        description="Opening hours per weekday; a missing day is closed.",
    )
    closed_dates: list[str] = Field(default_factory=list, description="Extra closed days (ISO dates), e.g. a local holiday.")


class SlaTarget(_Model):
    first_response_minutes: int = Field(gt=0, description="Time to the first reply.")
    resolution_minutes: int = Field(gt=0, description="Time to resolution.")
    calendar: Literal["business", "24x7"] = Field(default="business", description="Which clock the minutes run on.")


class SlaPolicy(_Model):
    warning_at_fraction: float = Field(default=0.75, gt=0, lt=1, description="Warn when this share of a target has elapsed.")
    targets: dict[str, SlaTarget] = Field(description="Per urgency (critical, high, normal).")
    departments: dict[str, dict[str, SlaTarget]] = Field(default_factory=dict, description="Per department, per urgency overrides.")
    handover_minutes: int = Field(default=480, gt=0, description="Business minutes for a handover's private thread to be answered.")


class Person(_Model):
    name: str
    contact: str
    phone: str | None = Field(default=None, description="Mobile number (E.164) the notifier texts alerts to.")
    email: str | None = Field(default=None, description="Address the notifier emails alerts to.")


class DutyShift(_Model):
    name: str
    contact: str
    phone: str | None = Field(default=None, description="Mobile number (E.164) the notifier texts alerts to.")
    email: str | None = Field(default=None, description="Address the notifier emails alerts to.")
    days: list[Weekday] = Field(description="Days the shift starts on.")
    start: time
    end: time = Field(description="End time; earlier than `start` means the next morning.")


class DutyRota(_Model):
    in_hours: list[Person] = Field(default_factory=list, description="Alerted for critical messages in business hours.")
    out_of_hours: list[DutyShift] = Field(default_factory=list, description="The out-of-hours rota.")
    fallback: Person = Field(description="Alerted when no shift covers the moment, and last when nobody acknowledges.")
    escalation: list[Person] = Field(
        default_factory=list, description="Alerted in turn when nobody on duty acknowledges an alert in time, before the fallback."
    )


class ToneRule(_Model):
    id: str
    pattern: str = Field(description="Case-insensitive regular expression that must not match a reply.")
    message: str = Field(description="What the agent is told.")


class ReplyChecks(_Model):
    banned_phrases: list[str] = Field(default_factory=list, description="Phrases a reply must never contain (case-insensitive).")
    tone_rules: list[ToneRule] = Field(default_factory=list)
    shouting_ratio: float = Field(default=0.6, description="Share of capital letters (over 20 letters) that counts as shouting.")
    allowed_public_contacts: list[str] = Field(
        default_factory=list, description="The organisation's own published numbers and addresses, allowed in public replies."
    )


class ApprovalRules(_Model):
    abusive_thread_public: bool = Field(default=True, description="Any public reply on an abusive thread needs approval.")
    outside_business_hours: bool = Field(default=True, description="Replies outside business hours need approval.")
    new_staff_weeks: int = Field(default=4, ge=0, description="Staff in their first weeks need approval (0: never).")
    exempt_roles: list[str] = Field(default_factory=lambda: ["supervisor", "admin"])
    out_of_hours_lock: bool = Field(
        default=False, description="Outside business hours every public reply waits for approval, supervisors' and admins' too."
    )
    emergency_accounts: list[str] = Field(
        default_factory=list, description="Accounts the out-of-hours lock spares (an emergency or out-of-hours service's own)."
    )


class Assignment(_Model):
    default: Strategy = "manual"
    departments: dict[str, Strategy] = Field(default_factory=dict)
    default_capacity: int = Field(default=10, ge=1, description="Open conversations per person unless their account says otherwise.")


class LeavePolicy(_Model):
    open_work: Literal["reassign", "queue", "keep"] = Field(
        default="reassign", description="When someone goes on leave, their open conversations are reassigned by the "
        "department's assignment rules (`reassign`), handed back to the queue (`queue`) or left (`keep`).",
    )


class OfficialAccount(_Model):
    channel: str
    account_id: str
    name: str
    default: bool = Field(default=False, description="The account used for new private threads on its channel.")


class CannedResponse(_Model):
    id: str
    title: str
    text: dict[str, str] = Field(description="Per language (`en`, `cy`), with `{placeholders}`.")


class Handover(_Model):
    public_private_message: str = Field(default="handover_public_private_message", description="Canned id.")
    public_phone: str = Field(default="handover_public_phone", description="Canned id.")
    private_opening: str = Field(default="handover_private_opening", description="Canned id.")
    case_prefix: str = Field(default="CI")


class Policy(_Model):
    organisation: str
    phone: str = Field(description="The public contact number, for `{phone}`.")
    business_hours: BusinessHours = Field(default_factory=BusinessHours)
    sla: SlaPolicy
    duty_rota: DutyRota
    checks: ReplyChecks = Field(default_factory=ReplyChecks)
    approval: ApprovalRules = Field(default_factory=ApprovalRules)
    assignment: Assignment = Field(default_factory=Assignment)
    accounts: list[OfficialAccount] = Field(default_factory=list)
    canned_responses: list[CannedResponse] = Field(default_factory=list)
    handover: Handover = Field(default_factory=Handover)
    leave: LeavePolicy = Field(default_factory=LeavePolicy)
    records: RetentionSchedule = Field(default_factory=RetentionSchedule, description="The retention schedule.")

    def canned(self, canned_id: str) -> CannedResponse | None:
        return next((c for c in self.canned_responses if c.id == canned_id), None)

    def strategy(self, department: str | None) -> Strategy:
        return self.assignment.departments.get(department or "", self.assignment.default)

    def default_account(self, channel: str) -> str | None:
        found = [a for a in self.accounts if a.channel == channel]
        chosen = next((a for a in found if a.default), found[0] if found else None)
        return chosen.account_id if chosen else None

