"""Pre-session mailings: who gets which access mail, when, and exactly once."""
