"""Custom widgets: heat map, charts, pack preview."""
