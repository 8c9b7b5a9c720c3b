"""Civic Inbox triage: every inbound message classified, explained and routed."""
