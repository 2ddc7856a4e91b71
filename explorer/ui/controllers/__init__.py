"""Thin Qt adapters between widgets and the core's asynchronous work."""
