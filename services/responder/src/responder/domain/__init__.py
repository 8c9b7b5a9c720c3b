"""Responder's rules, free of I/O: states, routing, SLA, business calendar, reply checks, approval,
assignment, delivery, duty rota, canned responses, and the policy they read."""

from responder.domain.states import NEEDS_REVIEW, NEW, UNTOUCHED, URGENCY_RANK, routing_update

__all__ = ["NEEDS_REVIEW", "NEW", "UNTOUCHED", "URGENCY_RANK", "routing_update"]
