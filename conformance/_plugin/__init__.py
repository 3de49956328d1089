"""Fixture families of the pytest plugin, one module each."""
