"""Pure domain types: importable by widgets and the cockpit without the engine."""
