"""The store and search: nothing here knows about HTTP."""
