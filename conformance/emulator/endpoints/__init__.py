"""Request handlers, one module per resource family; each takes (state, context, *ids)."""
