"""docker-compose.yml cannot run here (no container engine); this checks what can be checked: that it
matches deploy/ and the services' own settings (ports, variable names, modules, official images)."""

import importlib
import importlib.util
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
SERVICES = {"connectors": 8081, "triage": 8082, "responder": 8083, "inbox": 8080, "notifier": 8084}


def test_infrastructure_uses_official_images_on_the_same_ports_as_deploy() -> None:
    services = COMPOSE["services"]
    assert services["kafka"]["image"].startswith("apache/kafka:4.")
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert "127.0.0.1:9092:9092" in services["kafka"]["ports"]
    assert services["mongodb"]["image"].startswith("mongo:")
    assert "127.0.0.1:27017:27017" in services["mongodb"]["ports"]


@pytest.mark.parametrize("name, port", sorted(SERVICES.items()))
def test_each_service_runs_its_module_with_settings_it_knows(name: str, port: int) -> None:
    service = COMPOSE["services"][name]
    assert service["command"] == ["python", "-m", name]
    assert importlib.util.find_spec(f"{name}.__main__") is not None
    settings = importlib.import_module(f"{name}.config").Settings
    assert settings.model_fields["port"].default == port
    assert f"127.0.0.1:{port}:{port}" in service["ports"]
    prefix = settings.model_config["env_prefix"]
    known = {prefix: settings}
    if name == "inbox":  # the web app's own settings (INBOX_WEB_...)
        from inbox.web.config import WebSettings

        known = {WebSettings.model_config["env_prefix"]: WebSettings, **known}
    for variable in service["environment"]:
        for start, model in known.items():
            if variable.startswith(start):
                assert variable.removeprefix(start).lower() in model.model_fields, variable
                break
    assert service["environment"]["OTEL_SERVICE_NAME"] == name


def test_no_secret_is_written_into_the_compose_file() -> None:
    env = COMPOSE["services"]["connectors"]["environment"]
    assert env["CONNECTORS_META_APP_SECRET"].startswith("${")
    assert env["CONNECTORS_META_VERIFY_TOKEN"].startswith("${")


def test_traces_go_through_the_collector_to_jaeger_v2_which_the_inbox_trace_page_reads_and_links_to() -> None:
    services = COMPOSE["services"]
    assert services["jaeger"]["image"].startswith("jaegertracing/jaeger:2.")
    assert "127.0.0.1:16686:16686" in services["jaeger"]["ports"]
    collector = yaml.safe_load((REPO / "deploy" / "otel-collector.yaml").read_text())
    assert collector["exporters"]["otlp/jaeger"]["endpoint"] == "jaeger:4317"
    for name in SERVICES:
        assert services[name]["environment"]["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel-collector:4318"
    from inbox.web.config import WebSettings

    assert WebSettings.model_fields["trace_url_template"].default == "http://127.0.0.1:16686/trace/{trace_id}"
    inbox = services["inbox"]["environment"]
    assert inbox["INBOX_WEB_TRACE_QUERY_URL"] == "http://jaeger:16686"  # the page reads Jaeger's query API
    assert inbox["INBOX_WEB_TRACE_URL_TEMPLATE"] == "http://127.0.0.1:16686/trace/{trace_id}"  # and links to its UI
