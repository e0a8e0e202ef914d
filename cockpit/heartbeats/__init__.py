"""Heartbeats: the alert for when alerts stop."""
