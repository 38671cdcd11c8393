"""Every tool fed generated and adversarial arguments, derived from the input schema it advertises.

Whatever arrives (huge or odd text, control characters, nulls, wrong types, path tricks, numbers at and
past each bound, unknown arguments), a call ends in a tool result, never in a protocol error or a crash,
and every request that leaves goes to a documented route of the configured host, each path value one
fully percent-encoded segment. The API is the sandbox emulator, which validates like the real one, and
the id arguments draw on its seeded records so that calls also get past the guardrails and succeed.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import anyio
import httpx2
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from mcp import Client
from mcp.types import CallToolResult

from ninjahire_mcp.config import ALL_TOOLSETS, Settings
from ninjahire_mcp.sandbox import SANDBOX_API_KEY, create_app
from ninjahire_mcp.server import build_server
from ninjahire_mcp.toolkit import MAX_TEXT_BYTES
from ninjahire_mcp.tools import APP_ONLY, CATALOGUE

from ..support.api import INSTANT_RETRY

BASE_URL = "https://api.ninjahire.test"
OPENAPI = Path(__file__).parents[2] / "ninjahire_mcp" / "sandbox" / "openapi.json"
EXAMPLES_PER_TOOL = 60
CALL_TIMEOUT = 60.0

# ---- what the API documents -------------------------------------------------------------------------

_PARAM = re.compile(r"\{(\w+)\}")
# One path segment, fully percent-encoded: unreserved characters and %XX triplets only.
_ENCODED_SEGMENT = re.compile(r"^(?:[A-Za-z0-9._~-]|%[0-9A-F]{2})+$")


def _documented_routes() -> list[tuple[str, re.Pattern[str], str]]:
    routes = []
    for template, operations in json.loads(OPENAPI.read_text())["paths"].items():
        pattern = re.compile("^" + _PARAM.sub(r"(?P<\1>[^/]+)", template) + "$")
        routes += [(method.upper(), pattern, template) for method in operations if method != "parameters"]
    return routes


ROUTES = _documented_routes()


def request_problem(request: httpx2.Request) -> str | None:
    """Why this request must not have left, or None when it goes to a documented route, one value per segment."""
    url = request.url
    if (url.scheme, url.host, url.port) != ("https", "api.ninjahire.test", None):
        return f"left for another host: {url}"
    path = url.raw_path.decode("ascii").partition("?")[0]
    for method, pattern, template in ROUTES:
        match = pattern.match(path)
        if method != request.method or not match:
            continue
        for name, value in match.groupdict().items():
            if not _ENCODED_SEGMENT.match(value) or unquote(value) in (".", ".."):
                return f"{request.method} {path}: {name} {value!r} is not one percent-encoded segment ({template})"
        return None
    return f"{request.method} {path} is not a documented route"


# ---- adversarial values -----------------------------------------------------------------------------

ODD_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "line\r\nX-Injected: 1",
    "\t\n\r",
    "\u202eevil\u202c",
    "مرحبا بالعالم",
    "עברית",
    "👩🏽‍💻🚀",
    "\u200b\u200d\ufeff",
    "e\u0301\u0301\u0301",
    "\uffff\U0010ffff",
    "𝕳𝖊𝖑𝖑𝖔",
    # Lone surrogates: not text, but a JSON "\ud800" escape decodes to one, and stdio carries it.
    "\ud800",
    "a\udfffb",
]
PATH_TRICKS = [
    "..",
    ".",
    "../",
    "../../v1/tenant-webhook",
    "%2e%2e/",
    "%2e%2e",
    "%2E%2E",
    "%2F",
    "a/b",
    "a%2Fb",
    "/",
    "//",
    "?",
    "#",
    "?page=2&size=100",
    "a#frag",
    "%00",
    "..%2f..%2f",
    "\\..\\",
    "https://evil.example/x",
    "//evil.example/x",
    "@evil.example",
    " ../ ",
]
LOOKALIKES = ["NaN", "Infinity", "-0", "1e309", "0x10", "null", "true", "[]", "{}", '{"a": 1}', "5", "-1"]
HUGE_TEXT = [
    "x" * 100_000,
    "é" * 40_000,
    "👩🏽‍💻" * 5_000,
    "\x00" * 70_000,
    "a" * MAX_TEXT_BYTES,
    "a" * (MAX_TEXT_BYTES + 1),
]
WRONG_TYPES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1.5,
    -0.0,
    2**63,
    -(2**63) - 1,
    10**100,
    1e308,
    math.nan,
    math.inf,
    -math.inf,
    [],
    ["a"],
    [1, None],
    {},
    {"a": 1},
    [[[]]],
]
ADVERSARIAL = st.one_of(
    st.sampled_from(ODD_TEXT + PATH_TRICKS + LOOKALIKES + HUGE_TEXT),
    st.sampled_from(WRONG_TYPES),
    st.text(max_size=30),
    st.integers(),
    st.floats(),
)


# ---- the server under test --------------------------------------------------------------------------


class RecordingTransport(httpx2.AsyncBaseTransport):
    """The sandbox, with every request that reaches it kept for the checks."""

    def __init__(self, inner: httpx2.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx2.Request] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)


@dataclass
class Harness:
    portal: BlockingPortal
    client: Client
    transport: RecordingTransport
    schemas: dict[str, dict[str, Any]]
    seeds: dict[str, list[str]] = field(default_factory=dict)
    # Argument values that belong together (a question's job and id), so that calls also succeed.
    linked: list[dict[str, str]] = field(default_factory=list)

    def check(self, tool: str, arguments: dict[str, Any]) -> CallToolResult:
        """Call the tool; fail unless the result is a tool result and every request went where it may."""
        self.transport.requests.clear()
        result = self.portal.call(self._call, tool, arguments)
        shown = _shown(arguments)
        assert isinstance(result, CallToolResult), f"{tool}({shown}): {result!r}"
        text = result.content[0].text if result.content else ""
        # The SDK's text for an exception that escaped the tool: NinjahireTool words every failure itself.
        assert not text.startswith("Error executing tool"), f"{tool}({shown}) crashed: {text}"
        for request in self.transport.requests:
            problem = request_problem(request)
            assert problem is None, f"{tool}({shown}): {problem}"
        return result

    async def _call(self, tool: str, arguments: dict[str, Any]) -> CallToolResult:
        with anyio.fail_after(CALL_TIMEOUT):
            return await self.client.call_tool(tool, arguments)


def _shown(arguments: dict[str, Any]) -> str:
    text = repr(arguments)
    return text if len(text) <= 400 else text[:400] + "..."


def _seeds(app: Any) -> dict[str, list[str]]:
    emulator = app.state.emulator
    jobs, candidates, applications = (
        emulator.jobs.values(),
        emulator.candidates.values(),
        emulator.applications.values(),
    )
    return {
        "job_id": sorted(emulator.jobs),
        "candidate_id": sorted(emulator.candidates),
        "application_id": sorted(emulator.applications),
        "call_id": sorted(emulator.calls),
        "question_id": sorted(emulator.questions),
        "tenant_webhook_id": sorted(emulator.webhooks),
        "tenant_id": [emulator.tenant_id],
        "job_source_id": sorted(job["source_id"] for job in jobs),
        "candidate_source_id": sorted(candidate["source_id"] for candidate in candidates),
        "application_source_id": sorted(str(application["source_id"]) for application in applications),
        "source_id": sorted({job["source_id"] for job in jobs} | {q["source_id"] for q in emulator.questions.values()}),
    }


def _linked(app: Any) -> list[dict[str, str]]:
    emulator = app.state.emulator
    questions = [
        {"job_id": q["job_id"], "question_id": q["id"], "source_id": q["source_id"]}
        for q in emulator.questions.values()
        if q["job_id"]
    ]
    applications = [
        {
            "application_id": a["id"],
            "job_id": a["job_id"],
            "candidate_id": a["candidate_id"],
            "job_source_id": a["job_source_id"],
            "candidate_source_id": a["candidate_source_id"],
        }
        for a in emulator.applications.values()
    ]
    return sorted(questions + applications, key=lambda linked: sorted(linked.items()))


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    folder = tmp_path_factory.mktemp("properties")
    resumes = folder / "resumes"
    resumes.mkdir()
    (resumes / "resume.pdf").write_bytes(b"%PDF-1.7\n" * 20)
    (resumes / "cv.txt").write_text("Dana, Python developer.\n")
    (folder / "outside.pdf").write_bytes(b"%PDF-1.7\n")
    app = create_app(call_duration=0.0)  # a call ends when next read: wait_for_call never waits
    transport = RecordingTransport(httpx2.ASGITransport(app=app))
    server = build_server(
        Settings(
            api_key=SANDBOX_API_KEY,
            base_url=BASE_URL,
            toolsets=frozenset(ALL_TOOLSETS),
            confirm=False,  # the previewing tools act at once, so their requests are made and checked
            resume_dir=str(resumes),
            webhook_secret="whsec_" + "p" * 32,
            webhook_db=str(folder / "events.sqlite3"),
        ),
        transport=transport,
        retry=INSTANT_RETRY,
    )
    with start_blocking_portal() as portal, portal.wrap_async_context_manager(Client(server)) as client:
        tools = portal.call(client.list_tools).tools
        schemas = {tool.name: tool.input_schema for tool in tools}
        yield Harness(portal, client, transport, schemas, _seeds(app), _linked(app))


# ---- strategies from the advertised schema ----------------------------------------------------------


def _named(name: str, seeds: dict[str, list[str]]) -> st.SearchStrategy[Any] | None:
    """Valid-looking values for arguments whose meaning the name tells (ids, emails, dates...)."""
    if name in seeds:
        known = st.sampled_from(seeds[name])
        return st.one_of(known, known, st.uuids().map(str))
    if name.endswith("email"):
        return st.sampled_from(["dana@example.com"]) | st.emails()
    if name.endswith("phone_no"):
        return st.sampled_from(["+14155550123", "(415) 555-0123", "+44 20 7946 0958"])
    if name.endswith("_date") or name == "since":
        return st.dates().map(lambda d: d.isoformat()) | st.datetimes(timezones=st.just(UTC)).map(
            lambda d: d.isoformat()
        )
    if name.startswith("window_"):
        return st.times().map(lambda t: t.strftime("%H:%M:%S")) | st.sampled_from(["08:00", "18:30"])
    if name == "url":
        return st.sampled_from(["https://hooks.example.com/ninjahire", "http://localhost:8080/in"])
    if name == "base64file":
        return st.binary(max_size=48).map(lambda b: base64.b64encode(b).decode())
    if name == "resume_path":
        return st.sampled_from(["resume.pdf", "cv.txt", "missing.pdf", "../outside.pdf", "/etc/passwd"])
    if name == "file":
        return st.sampled_from(["resume.pdf", "https://files.example.com/cv.pdf"])
    if name == "fields":
        return st.lists(st.sampled_from(["id", "status", "candidate_id", "call_score"]), min_size=1, max_size=4)
    return None


def _valid(name: str, schema: dict[str, Any], root: dict[str, Any], seeds: dict[str, list[str]]) -> Any:
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    named = _named(name, seeds)
    if named is not None:
        return named
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        values = schema["enum"]
        return st.sampled_from(values) | st.sampled_from(values).map(str.lower)
    kind = schema.get("type")
    low, high = schema.get("minimum"), schema.get("maximum")
    if kind == "integer":
        return st.integers(low, high if high is not None else (low or 0) + 1000)
    if kind == "number":
        return st.floats(low, high if high is not None else 1e6, allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        items = _valid("", schema.get("items", {}), root, seeds)
        scalars = schema.get("items", {}).get("type") in ("integer", "string")
        low = schema.get("minItems", 0)
        return st.lists(items, min_size=low, max_size=min(schema.get("maxItems", 5), 5), unique=scalars)
    if kind == "object":
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        return st.fixed_dictionaries(
            {key: _valid(key, sub, root, seeds) for key, sub in properties.items() if key in required},
            optional={key: _valid(key, sub, root, seeds) for key, sub in properties.items() if key not in required},
        )
    words = st.sampled_from(["Engineer", "Applied", "Python", "Berlin", "Ana María", "Q-1"])
    return words | st.text(min_size=1, max_size=min(schema.get("maxLength", 40), 40)).filter(str.strip)


def _at_bounds(schema: dict[str, Any], item: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Values at and just past each bound the schema states."""
    values: list[Any] = []
    for key, step in (("minimum", -1), ("maximum", 1)):
        if key in schema:
            bound = schema[key]
            values += [bound, bound + step, bound + step / 2, float(bound)]
    if "maxLength" in schema:
        values += ["a" * schema["maxLength"], "a" * (schema["maxLength"] + 1)]
    bounded = [st.sampled_from(values)] if values else []
    if schema.get("type") == "array":
        most = schema.get("maxItems", 3)
        bounded += [
            st.lists(item, min_size=most + 1, max_size=most + 1),
            st.just([]),
            st.lists(ADVERSARIAL, max_size=3),
        ]
    return st.one_of(*bounded, ADVERSARIAL)


def _bad(name: str, schema: dict[str, Any], root: dict[str, Any], seeds: dict[str, list[str]]) -> Any:
    if schema.get("type") == "array" and "$ref" in schema.get("items", {}):
        # Screening questions: objects with odd values, missing or unknown keys.
        nested = root["$defs"][schema["items"]["$ref"].rsplit("/", 1)[1]]["properties"]
        odd_item = st.dictionaries(st.sampled_from([*nested, "extra"]), ADVERSARIAL, max_size=3)
        return st.lists(odd_item, min_size=1, max_size=3) | _at_bounds(
            schema, _valid(name, schema["items"], root, seeds)
        )
    item = _valid(name, schema.get("items", {}), root, seeds) if schema.get("type") == "array" else st.nothing()
    return _at_bounds(schema, item)


def arguments_for(
    schema: dict[str, Any], seeds: dict[str, list[str]], linked: list[dict[str, str]]
) -> st.SearchStrategy[dict[str, Any]]:
    properties: dict[str, Any] = schema.get("properties", {})
    required = [name for name in properties if name in schema.get("required", [])]
    optional = [name for name in properties if name not in required]
    valid = {name: _valid(name, sub, schema, seeds) for name, sub in properties.items()}
    bad = {name: _bad(name, sub, schema, seeds) for name, sub in properties.items()}

    def all_valid(overrides: dict[str, Any] | None = None) -> st.SearchStrategy[dict[str, Any]]:
        strategies = {**valid, **(overrides or {})}
        return st.fixed_dictionaries(
            {name: strategies[name] for name in required}, optional={name: strategies[name] for name in optional}
        )

    shapes = [
        all_valid(),
        st.tuples(all_valid(), st.sampled_from(linked)).map(
            lambda t: {**t[0], **{name: value for name, value in t[1].items() if name in t[0]}}
        ),
        # Anything goes, argument by argument: valid, adversarial, or left out (required ones too).
        st.fixed_dictionaries({}, optional={name: valid[name] | bad[name] for name in properties}),
        # Unknown arguments beside valid ones: misspelt, empty, odd.
        st.tuples(all_valid(), st.sampled_from(["unexpected", "", "job_id ", "__proto__", "JOB_ID"]), ADVERSARIAL).map(
            lambda t: {**t[0], t[1]: t[2]}
        ),
    ]
    if properties:
        # One adversarial value among valid ones: it meets the guardrails, and past them the API.
        one_bad = st.sampled_from(list(properties)).flatmap(lambda name: all_valid({name: bad[name]}))
        shapes += [one_bad, one_bad]
    return st.one_of(*shapes)


SIMPLE_BY_NAME: dict[str, Any] = {
    "email": "dana@example.com",
    "recruiter_email": "dana@example.com",
    "phone_no": "+14155550123",
    "recruiter_work_phone_no": "+14155550123",
    "url": "https://hooks.example.com/ninjahire",
    "base64file": "JVBERi0=",
    "resume_path": "resume.pdf",
    "window_start_time": "08:00:00",
    "window_end_time": "18:00:00",
    "since": "2025-06-01T00:00:00Z",
}


def simple_valid(name: str, schema: dict[str, Any], root: dict[str, Any], seeds: dict[str, list[str]]) -> Any:
    """One fixed valid value: what the other arguments hold while one of them is attacked."""
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    if name in seeds:
        return seeds[name][0]
    if name in SIMPLE_BY_NAME:
        return SIMPLE_BY_NAME[name]
    if name.endswith("_date"):
        return "2025-07-01"
    if "const" in schema or "enum" in schema:
        return schema.get("const", (schema.get("enum") or [None])[0])
    kind = schema.get("type")
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    if kind == "array":
        return [simple_valid(name, schema.get("items", {}), root, seeds)]
    if kind == "object":
        return {key: simple_valid(key, sub, root, seeds) for key, sub in schema.get("properties", {}).items()}
    return "id" if name == "fields" else "Engineer"


# ---- the properties ---------------------------------------------------------------------------------

TOOL_NAMES = [spec.name for spec in (*CATALOGUE, *APP_ONLY)]  # the views' tools: a view is a caller too
PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES_PER_TOOL,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


@pytest.mark.parametrize("tool", TOOL_NAMES)
def test_every_text_attack_on_every_text_argument(harness: Harness, tool: str) -> None:
    """Exhaustive where generation is thin: each odd text and path trick, in each text argument, the others valid."""
    schema = harness.schemas[tool]
    properties = schema.get("properties", {})
    base = {
        name: simple_valid(name, sub, schema, harness.seeds)
        for name, sub in properties.items()
        if name in schema.get("required", [])
    }
    for name, sub in properties.items():
        if sub.get("type") == "string":
            for attack in ODD_TEXT + PATH_TRICKS:
                harness.check(tool, {**base, name: attack})


def test_every_catalogue_tool_is_exercised(harness: Harness) -> None:
    assert set(harness.schemas) == set(TOOL_NAMES)


@pytest.mark.parametrize("tool", TOOL_NAMES)
def test_generated_arguments_end_in_a_tool_result_and_documented_requests(harness: Harness, tool: str) -> None:
    @PROPERTY_SETTINGS
    @given(arguments=arguments_for(harness.schemas[tool], harness.seeds, harness.linked))
    def survives(arguments: dict[str, Any]) -> None:
        harness.check(tool, arguments)

    survives()


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("get_job", {"job_id": ".."}),
        ("get_job", {"job_id": "%2e%2e"}),
        ("get_job", {"job_id": "../tenant-webhook"}),
        ("get_questions", {"job_id": "https://evil.example/x"}),
        ("delete_question", {"job_id": "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "question_id": "../../jobs"}),
        (
            "update_question",
            {
                "job_id": "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
                "question_id": "a/b?c#d",
                "question_text": "Why?",
                "source_id": "Q-1",
            },
        ),
        ("subscribe_webhook", {"tenant_webhook_id": "..%2f..%2fjobs"}),
        ("get_jobs", {"source_id": "JOB-1&size=1000#x"}),
    ],
)
def test_path_tricks_never_change_the_endpoint(harness: Harness, tool: str, arguments: dict[str, Any]) -> None:
    harness.check(tool, arguments)


@pytest.mark.parametrize(
    ("method", "url", "expected"),
    [
        ("GET", f"{BASE_URL}/v1/jobs/6ba7b810-9dad-11d1-80b4-00c04fd430c8?size=1", None),
        ("GET", f"{BASE_URL}/v1/jobs/a%2Fb%3F%23", None),
        ("GET", "https://evil.example/v1/jobs", "another host"),
        ("GET", "http://api.ninjahire.test/v1/jobs", "another host"),
        ("DELETE", f"{BASE_URL}/v1/jobs", "not a documented route"),
        ("GET", f"{BASE_URL}/v1/jobs/a/b", "not a documented route"),
        ("GET", f"{BASE_URL}/v1/jobs/%2E%2E/scheduling", "not one percent-encoded segment"),
        ("GET", f"{BASE_URL}/v1/calls/a:b", "not one percent-encoded segment"),
    ],
)
def test_the_route_check_itself_tells_documented_requests_from_others(
    method: str, url: str, expected: str | None
) -> None:
    problem = request_problem(httpx2.Request(method, url))
    assert (problem is None) if expected is None else (expected in (problem or ""))
