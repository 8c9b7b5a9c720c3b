"""Write the AsyncAPI document of each Kafka-speaking service, generated from its FastStream broker.

`make asyncapi` -> docs/asyncapi/<service>.json. No Kafka connection is made: the apps are only built."""

import sys
from pathlib import Path

from faststream.specification import AsyncAPI


def brokers() -> dict:
    from connectors.config import Settings as ConnectorSettings
    from connectors.main import create_app as connectors_app
    from notifier.config import Settings as NotifierSettings
    from notifier.main import create_app as notifier_app
    from responder.config import Settings as ResponderSettings
    from responder.main import create_app as responder_app
    from triage.config import Settings as TriageSettings
    from triage.main import create_app as triage_app

    apps = {
        # Placeholder secrets: the app is only built to read its broker, it serves no request.
        "connectors": connectors_app(ConnectorSettings(meta_app_secret="unused", meta_verify_token="unused")),  # noqa: S106
        "triage": triage_app(TriageSettings()),
        "responder": responder_app(ResponderSettings()),
        "notifier": notifier_app(NotifierSettings(link_secret="unused")),  # noqa: S106
    }
    return {name: app.state.keeper.broker for name, app in apps.items()}


def main(target: str) -> None:
    out = Path(target)
    out.mkdir(parents=True, exist_ok=True)
    for name, broker in brokers().items():
        spec = AsyncAPI(broker, title=f"Civic Inbox {name}", version="1.0.0",
                        description=f"Kafka channels the {name} service publishes and subscribes to.")
        path = out / f"{name}.json"
        path.write_text(spec.to_specification().to_json() + "\n", encoding="utf-8")
        print(path)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/asyncapi")
