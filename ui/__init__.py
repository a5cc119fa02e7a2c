"""Setu's desktop interface (PySide6): talks to app.services only, never to the ORM."""
