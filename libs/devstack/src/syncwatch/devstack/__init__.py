"""The one-command SyncWatch stack (Synapse/Zulip ``run-dev`` style).

``infra`` runs real PostgreSQL, Redis and NATS as child processes; ``stack`` runs every service as its
own process (any number of sync-gateway replicas) against embedded or given infrastructure; ``edge``
puts it all behind one origin. ``make dev`` runs ``python -m syncwatch.devstack``; the tests drive the
same code in-process.
"""
