"""The ``/v1/curation`` part of ``/openapi.json`` (see ``curation.py``)."""
from __future__ import annotations

from typing import Any, Callable

JSON = "application/json"
SECURITY = [{"apiKey": []}, {"bearer": []}]
SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer",
               "description": "an API key made with `gazetteer curate key create NAME --role "
                              "editor|admin`"},
    "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
}
META = {
    "why": {"type": "string", "minLength": 1, "maxLength": 2000,
            "description": "why the change is right: the evidence"},
    "source": {"type": "string", "maxLength": 2000, "description": "a link or a document"},
    "who": {"type": "string", "maxLength": 200,
            "description": "who made it (default: the API key's name, always recorded too)"},
}
NAME = {"type": "string", "minLength": 1, "maxLength": 200}
CHANGE = {"type": "object",
          "required": ["id", "kind", "place_id", "payload", "author", "reason", "source",
                       "created_at"],
          "properties": {"id": {"type": "integer"},
                         "kind": {"enum": ["add-alias", "add-place", "correct", "retire",
                                           "revert"]},
                         "place_id": {"type": "string"}, "payload": {"type": "object"},
                         "author": {"type": "string"}, "reason": {"type": "string"},
                         "source": {"type": "string"}, "created_at": {"type": "string"},
                         "key_name": {"type": ["string", "null"]}}}
CHANGES = {"type": "object", "required": ["changes"],
           "properties": {"changes": {"type": "array", "items": {"$ref": "#/components/schemas/"
                                                                          "CurationChange"}}}}


def paths(problem: Callable[[str], dict[str, Any]], not_ready: dict[str, Any]) -> dict[str, Any]:
    writes = {
        "401": problem("no API key, or an unknown or revoked one (`unauthorized`)"),
        "403": problem("the key's role does not allow this (`forbidden`)"),
        "409": problem("refused: it clashes with the gazetteer (`refused`; `code` says why: "
                       "alias-taken, duplicate-place, already-reverted, name-exists, "
                       "depends-on-it)"),
        "422": problem("refused: invalid (`refused` with `code`: invalid, unknown-place, "
                       "unknown-parent, outside-syria, ...; or `invalid-body`)"),
        "400": problem("the body is not JSON or not UTF-8"),
        "413": problem("the body is too large (`body-too-large`)"),
        "415": problem("not application/json"),
        "404": problem("curation is off on this server (`not-found`)"),
        "503": not_ready,
    }

    def post(op: str, summary: str, description: str, required: list[str],
             properties: dict[str, Any]) -> dict[str, Any]:
        return {"post": {
            "operationId": op, "tags": ["curation"], "summary": summary,
            "description": description, "security": SECURITY,
            "requestBody": {"required": True, "content": {JSON: {"schema": {
                "type": "object", "required": required + ["why"],
                "properties": properties | META}}}},
            "responses": {"201": {"description": "the change, stored and in force",
                                  "content": {JSON: {"schema": {
                                      "$ref": "#/components/schemas/CurationChange"}}}},
                          **writes}}}

    read = {"400": problem("a malformed parameter"),
            "404": problem("curation is off on this server (`not-found`)"), "503": not_ready}
    return {
        "/v1/curation/aliases": post(
            "addAlias", "Add a name to a place",
            "Another name of an existing place, in either script; refused when a place within "
            "5 km already has it.", ["place_id", "name"],
            {"place_id": {"type": "string"}, "name": NAME,
             "area": {"type": "string", "description": "p-code of the admin unit where the "
                                                       "name is used"}}),
        "/v1/curation/places": post(
            "addPlace", "Add a place the gazetteer lacks",
            "Its id is `U:<change id>`. Refused when outside Syria, when the parent does not "
            "exist or is of the wrong type, or when a place with the same name skeleton is "
            "within 2 km (unless `force`, with `why` saying why it is another place).",
            ["type", "lat", "lon", "parent_id"],
            {"type": {"type": "string"}, "lat": {"type": "number"}, "lon": {"type": "number"},
             "parent_id": {"type": "string"}, "name_ar": NAME, "name_en": NAME,
             "alt_ar": {"type": "array", "items": NAME}, "alt_en": {"type": "array", "items": NAME},
             "force": {"type": "boolean", "default": False}}),
        "/v1/curation/corrections": post(
            "correctPlace", "Correct a place", "Any of its names, type, point or parent.",
            ["place_id"],
            {"place_id": {"type": "string"}, "name_ar": NAME, "name_en": NAME,
             "type": {"type": "string"}, "lat": {"type": "number"}, "lon": {"type": "number"},
             "parent_id": {"type": "string"}}),
        "/v1/curation/retirements": post(
            "retireName", "Take a wrong alternate name off a place", "", ["place_id", "name"],
            {"place_id": {"type": "string"}, "name": NAME}),
        "/v1/curation/reverts": post(
            "revertChange", "Undo a change", "Recorded as a change of its own.", ["change_id"],
            {"change_id": {"type": "integer", "minimum": 1}}),
        "/v1/curation/import": {"post": {
            "operationId": "importCuration", "tags": ["curation"], "security": SECURITY,
            "summary": "Import rows in the places.csv columns (admin keys)",
            "description": "All or nothing: a known id gets the corrections and aliases that "
                           "make it equal the row; an empty or unknown `U:` id is a new place.",
            "parameters": [{"name": "why", "in": "query", "required": True,
                            "schema": META["why"]},
                           {"name": "source", "in": "query", "schema": META["source"]},
                           {"name": "who", "in": "query", "schema": META["who"]}],
            "requestBody": {"required": True, "content": {"text/csv": {"schema": {
                "type": "string"}}}},
            "responses": {"201": {"description": "the changes stored", "content": {JSON: {
                "schema": {"oneOf": [{"$ref": "#/components/schemas/CurationChange"},
                                     {"$ref": "#/components/schemas/CurationChanges"}]}}}},
                          **writes}}},
        "/v1/curation/log": {"get": {
            "operationId": "curationLog", "tags": ["curation"],
            "summary": "The audit log: every change, reverts too, in order",
            "parameters": [
                {"name": "after", "in": "query", "description": "changes after this id",
                 "schema": {"type": "integer", "minimum": 0}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                            "maximum": 10000}}],
            "responses": {"200": {"description": "the changes", "content": {JSON: {"schema": {
                "$ref": "#/components/schemas/CurationChanges"}}}}, **read}}},
        "/v1/curation/changes": {"get": {
            "operationId": "curationChanges", "tags": ["curation"],
            "summary": "The changes in force (not reverted)",
            "parameters": [{"name": "place_id", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "the changes", "content": {JSON: {"schema": {
                "$ref": "#/components/schemas/CurationChanges"}}}}, **read}}},
        "/v1/curation/export": {"get": {
            "operationId": "curationExport", "tags": ["curation"],
            "summary": "The amended and new places as places.csv rows",
            "responses": {"200": {"description": "CSV", "content": {"text/csv": {"schema": {
                "type": "string"}}}}, **read}}},
    }
