"""Pollers for what has no push: X mentions (for accounts without webhooks) and YouTube comments.

Each poller reads everything new since its cursor, publishes oldest first, and moves its cursor (in MongoDB)
only after what it covers was acknowledged by Kafka: a restart resumes with nothing lost, and at most the
batch in flight is published again (with the same ids, so it is still one message downstream)."""
