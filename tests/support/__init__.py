"""Shared test fixtures: real infrastructure, the running system, signed platform requests."""
