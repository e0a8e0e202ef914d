"""Helpers shared by test packages (plain modules, not conftest plugins)."""
