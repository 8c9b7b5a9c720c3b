"""Civic Inbox notifier: gets duty alerts and account alerts to people, and follows them until acknowledged."""
