"""SyncWatch test support, loaded as a pytest plugin (``syncwatch.testing.plugin``).

Fixtures give every test run real PostgreSQL, Redis and NATS: the servers named by
``SYNCWATCH_TEST_DATABASE_URL`` / ``SYNCWATCH_TEST_REDIS_URL`` / ``SYNCWATCH_TEST_NATS_URL`` when set,
otherwise embedded servers started for the run in a temporary directory. Each run gets its own
PostgreSQL database, so runs never see each other's rows.
"""
