"""Property-based testing: hypothesis strategies and the schemathesis integration."""
