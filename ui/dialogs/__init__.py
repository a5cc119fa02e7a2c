"""Edit dialogs with inline validation."""
