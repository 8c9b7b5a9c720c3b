"""Platform accounts connected by an admin through OAuth 2.0 (authorisation code, with PKCE where the platform
supports it): tokens stored encrypted, renewed before they expire, and an account whose token cannot be renewed
shown red to ops (its sends wait for a reconnection instead of failing one by one). Accounts configured by
environment variables keep working as before; a connected account takes precedence for its id."""
