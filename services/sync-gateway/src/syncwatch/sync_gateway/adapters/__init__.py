"""Redis, NATS, gRPC and WebSocket adapters."""
