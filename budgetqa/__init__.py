"""budgetqa: exact answers with citations over Chinese budget disclosures."""
__version__ = "0.1.0"
