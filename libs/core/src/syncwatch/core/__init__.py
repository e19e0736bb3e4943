"""SyncWatch shared runtime: everything a service needs, written once.

Modules: ``settings`` (environment), ``logs``, ``telemetry``, ``errors``, ``clock``, ``health``,
``http`` (Litestar app factory), ``grpc`` (server/channel helpers), ``bus`` (NATS/JetStream),
``postgres`` (pool and migrations), ``redisdb`` (one client per logical database), ``deps``
(dependency supervision) and ``runtime`` (running a service end to end).
"""
