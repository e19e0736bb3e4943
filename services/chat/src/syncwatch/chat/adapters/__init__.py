"""The chat service's edges: PostgreSQL, gRPC, NATS (events out, room events in)."""
