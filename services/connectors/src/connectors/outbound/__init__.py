"""Outbound: each channel's commands (`reply.outbound.<channel>.v1`) carried out on the platform once, within
its rate limits and messaging windows, each ending in a `ReplyStatus`. `sender.py` is the runtime; one
module per platform knows its endpoints and error shapes."""
