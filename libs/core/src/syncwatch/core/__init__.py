"""SyncWatch shared runtime: everything a service needs, written once.

Modules: ``settings`` (environment), ``logs``, ``telemetry``, ``errors``, ``clock``, ``health``,
``http`` (Litestar app factory), ``grpc`` (server/channel helpers), ``bus`` (NATS/JetStream),
``postgres`` (pool and migrations), ``redisdb`` (one client per logical database), ``deps``
(dependency supervision), ``runtime`` (running a service end to end), ``tokens`` (the access-token
verifier every service uses), ``ratelimit`` (Redis rate limits and failure backoff), ``audit``
(audit events on JetStream ``AUDIT``) and ``openapi`` (problem responses in OpenAPI schemas).
"""
