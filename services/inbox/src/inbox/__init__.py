"""Civic Inbox inbox: the agents' API and web app. It reads MongoDB and never writes conversation state."""
