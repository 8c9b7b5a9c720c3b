"""Local stand-ins for the platforms Civic Inbox talks to, and sample traffic for demos and tests."""
