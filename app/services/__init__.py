"""Use-cases, one module per register: validate, then one unit of work, then plain rows."""
