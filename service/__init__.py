"""The HTTP service and the public widget."""
