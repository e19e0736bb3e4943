"""The room service's edges: PostgreSQL now; HTTP, gRPC, Redis and NATS as their steps land."""
