"""The notifier's rules, with no I/O: who is alerted at each level, what they are told, signed links, SMS replies."""
