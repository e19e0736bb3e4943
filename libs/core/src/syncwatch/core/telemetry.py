"""OpenTelemetry set-up from the standard ``OTEL_*`` variables.

Tracing is always on in-process (so trace ids reach logs and ``traceparent`` travels across gRPC and
NATS); spans are exported only when an exporter is configured: ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or the
traces-specific variant) for OTLP, or ``OTEL_TRACES_EXPORTER=console``. ``OTEL_SDK_DISABLED=true`` turns
the SDK off entirely. The OTLP exporter reads its own ``OTEL_EXPORTER_OTLP_*`` settings.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

_configured = False


def exporter_from_env(environ: Mapping[str, str]) -> SpanExporter | None:
    """The span exporter the environment asks for, or None when spans should stay in-process."""
    kind = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    endpoint = environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or environ.get(
        "OTEL_EXPORTER_OTLP_ENDPOINT"
    )
    if kind == "none":
        return None
    if kind == "console":
        return ConsoleSpanExporter()
    if kind == "otlp" or (not kind and endpoint):
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter()
    return None


def setup_telemetry(
    service: str, environ: Mapping[str, str] | None = None
) -> TracerProvider | None:
    """Install the global tracer provider for this process; returns it (None when disabled)."""
    global _configured  # noqa: PLW0603 - one provider per process, set once
    env = os.environ if environ is None else environ
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return None
    if _configured:
        provider = trace.get_tracer_provider()
        return provider if isinstance(provider, TracerProvider) else None
    resource = Resource.create(
        {"service.name": env.get("OTEL_SERVICE_NAME", f"syncwatch-{service}")}
    )
    provider = TracerProvider(resource=resource)
    exporter = exporter_from_env(env)
    if exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    _configured = True
    return provider
