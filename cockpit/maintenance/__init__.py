"""Maintenance windows: active and upcoming."""
