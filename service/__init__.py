"""The HTTP service and the public widget: ``create_app(settings)`` in app.py."""
