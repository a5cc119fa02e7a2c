"""One page per register, the dashboard and the audit log."""
