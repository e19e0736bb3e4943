"""The auth service's edges: HTTP, gRPC, PostgreSQL, Redis, NATS, and the signing-key directory."""
