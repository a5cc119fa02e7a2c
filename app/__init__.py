"""Setu: the joint programme office's desktop tool (headless core)."""

__version__ = "0.1.0"
