"""OpenTelemetry set-up from the standard `OTEL_*` environment variables."""

import os

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor


def setup_telemetry(service_name: str) -> trace.TracerProvider:
    """A tracer provider for one service.

    The service name comes from `OTEL_SERVICE_NAME` when set, else `service_name`; `OTEL_RESOURCE_ATTRIBUTES`
    is honoured by `Resource.create`. Spans are exported over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT`
    or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set; otherwise they are only created (trace ids still flow
    through Kafka headers and logs). `OTEL_SDK_DISABLED=true` turns tracing off.
    """
    attributes = {"service.name": os.environ.get("OTEL_SERVICE_NAME") or service_name}
    disabled = os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true"
    if disabled:
        return trace.NoOpTracerProvider()
    provider = TracerProvider(resource=Resource.create(attributes))
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider
