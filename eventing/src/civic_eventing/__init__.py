"""The event runtime every Civic Inbox service runs on.

Public API:
- `setup_telemetry(service_name)`: a TracerProvider configured from the standard `OTEL_*` variables;
- `build_broker(...)`: a FastStream `KafkaBroker` with tracing and Prometheus middlewares;
- `BrokerKeeper`: starts the broker in the background, retrying while Kafka is unreachable;
- `Consumer`: parse an event into its contract model, process it with retries, dead-letter it on failure;
- `BatchConsumer`: the same for a batch of records, concurrently across Kafka keys, in order within one;
- `dead_letter(...)`: build a `DeadLetter` for bytes that could not be processed;
- `serve(app, ...)`: run a service under uvicorn with a hard deadline on stopping after SIGTERM.
"""

from civic_eventing.batch import BatchConsumer, Record
from civic_eventing.broker import BrokerKeeper, KafkaRuntime, KafkaSettings, build_broker, ensure_topics
from civic_eventing.consume import Consumer, dead_letter
from civic_eventing.ops import ops_router
from civic_eventing.serving import serve
from civic_eventing.telemetry import setup_telemetry

__all__ = [
    "BatchConsumer",
    "BrokerKeeper",
    "Record",
    "Consumer",
    "KafkaRuntime",
    "ensure_topics", "KafkaSettings", "build_broker", "dead_letter", "ops_router", "serve", "setup_telemetry"]
