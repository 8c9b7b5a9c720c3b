"""The trace id of the hop that received a message (the webhook request's span, or the poll's), carried on the
message so responder stores it and ops can open that trace from the conversation page."""

from collections.abc import Sequence

from civic_contracts import InboundMessage
from opentelemetry import trace


def current_trace_id() -> str | None:
    """The current span's trace id as 32 hex digits, when there is a recorded (sampled) span."""
    context = trace.get_current_span().get_span_context()
    if not context.is_valid or not context.trace_flags.sampled:
        return None
    return format(context.trace_id, "032x")


def with_trace_id(messages: Sequence[InboundMessage]) -> list[InboundMessage]:
    """The messages, each carrying the current trace id unless it already has one."""
    trace_id = current_trace_id()
    if trace_id is None:
        return list(messages)
    return [m if m.trace_id else m.model_copy(update={"trace_id": trace_id}) for m in messages]
