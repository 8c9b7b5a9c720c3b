"""Responder use cases: intake, staff commands, replies, handover, assignment, moderation, jobs."""
