"""Civic Inbox responder: the only writer of conversation state."""
