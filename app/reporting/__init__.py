"""The briefing pack: collect the figures, store a snapshot, render a marked PDF."""
