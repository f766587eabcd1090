"""Pieces every part of the OpenAPI document uses (search_web/openapi.py, openapi_browse.py)."""

from __future__ import annotations


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


NAME_PARAMETER = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
NOT_MODIFIED = {"description": "Unverändert seit dem ETag in If-None-Match"}
NOT_FOUND = json_response(ref("Error"), "Nicht gefunden")
