"""The cockpit's screens: one per file, each with a sibling .tcss scoped under its type."""
