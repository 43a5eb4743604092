"""The JSON Schema of every document ftguide prints with ``--format json``."""

from __future__ import annotations

from typing import Any


def document_schema(command: str) -> dict[str, Any]:
    """The JSON Schema of the document ``command --format json`` prints."""
    from ftguide import models

    if command == "diagnose":
        from ftguide.diagnose import Diagnosis

        body: Any = Diagnosis
    else:
        body = {"suggest": models.SuggestResult, "vram": models.MemoryEstimate, "check": models.CheckDocument}[command]
    schema = body.model_json_schema()
    envelope = {
        "schema_version": {"type": "string", "description": "Version of the document layout."},
        "command": {"const": command, "description": "The command that printed the document."},
    }
    schema["properties"] = envelope | {k: v for k, v in schema["properties"].items() if k not in envelope}
    schema["required"] = sorted(set(schema.get("required", [])) | set(envelope))
    schema["title"] = f"ftguide {command} document"
    return schema
