"""`python -m app` is the same as `setu`."""

from app.cli import console

console()
