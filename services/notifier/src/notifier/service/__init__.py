"""The notifier's use cases: deliver a duty alert, escalate it, take an acknowledgement, pass on account alerts."""
