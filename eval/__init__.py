"""Question sets and the evaluation runner."""
