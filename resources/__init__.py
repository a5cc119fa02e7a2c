"""Files Setu ships: fonts (Noto, SIL Open Font License) and icons."""
