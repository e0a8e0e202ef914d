"""Modals shared by every screen: forms, confirmation, help and the command line."""
