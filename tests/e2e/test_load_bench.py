"""The HTTP load benchmark (bench/load_http.py) runs, and its leakage check would see a leak. No timings
are asserted: the figures are for BENCHMARKS.md, not for a test."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.load_http import leakage, plan, session_key

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.subprocess
def test_the_load_benchmark_runs_both_eras_without_errors_or_leakage() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.load_http", "--sessions", "2", "--calls", "2", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    sandbox, keyed = json.loads(done.stdout)
    for run in (sandbox, keyed):
        assert run["calls"] == 4 and run["errors"] == 0, run["first_errors"]
        assert set(run["eras"]) == {"auto", "legacy"} and run["eras"]["auto"] != run["eras"]["legacy"]
    assert keyed["leakage"] == 0 and keyed["filtered_requests_checked"] >= 1


def record(key: str | None, query: str = "") -> dict[str, object]:
    return {"method": "GET", "path": "/api/v1/jobs", "query": query, "api_key": key}


def test_the_leakage_check_counts_wrong_keys_unknown_keys_and_lost_or_repeated_requests() -> None:
    sent = [marker for session in range(2) for call in range(8) if (marker := plan(session, call, "job")[2])]
    mine = [record(session_key(int(m[6:9])), f"source_id={m}&page=1") for m in sent]
    assert leakage([*mine, record(session_key(1))], sent, 2) == (0, len(sent))

    swapped = [*mine[1:], record(session_key(1), f"source_id={sent[0]}")]  # session 0's filter, session 1's key
    assert leakage(swapped, sent, 2)[0] == 1
    assert leakage([*mine, record(None)], sent, 2)[0] == 1  # a request with no key
    assert leakage([*mine, record("nh_someone_else")], sent, 2)[0] == 1
    assert leakage(mine[1:], sent, 2)[0] == 1  # a filtered call that never reached the API
    assert leakage([*mine, mine[0]], sent, 2)[0] == 1  # or reached it twice
