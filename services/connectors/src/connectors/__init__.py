"""Civic Inbox connectors: platform webhooks in, normalised `InboundMessage` events out to Kafka."""
