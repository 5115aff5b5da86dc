"""Qt layer: windows, dialogs, item models and background work."""
