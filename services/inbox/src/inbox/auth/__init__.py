"""Who is calling and what they may do: password hashing, sessions and tokens, roles and department scope."""
