"""The screening index's store on its own: what it finds and how it ranks, what a fill replaces, and how it
survives a fill cut short, a corrupt file, and many tenants."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import cast

import pytest

from ninjahire_mcp.config import Settings
from ninjahire_mcp.index import (
    Coverage,
    Filters,
    IndexedApplication,
    IndexedCall,
    IndexShelf,
    Piece,
    QuerySyntax,
    ScreeningIndex,
    tenant_name,
)

JOB = ("j-1", "Night Nurse", "Boston, MA")


def nurse_calls(count: int = 6, job_id: str = "j-1") -> list[IndexedCall]:
    calls = []
    for i in range(count):
        nights = "I prefer night shifts, I have worked nights for years" if i % 2 else "Days only, please"
        start = "Available immediately" if i % 3 == 0 else "Two weeks' notice"
        calls.append(
            IndexedCall(
                id=f"{job_id}-c{i}",
                application_id=f"{job_id}-a{i}",
                job_id=job_id,
                candidate_id=f"p{i}",
                status="completed",
                score=60.0 + i,
                intelligence="call_success" if i % 2 else "call_inconclusive",
                created_at=None,
                ended_at=f"2026-11-0{i + 1}T10:00:00Z",
                summary={"availability": {"score": 5, "summary": start}},
                pieces=(
                    Piece("answers", nights, "Does the night schedule work for you?"),
                    Piece("summary", start, "availability"),
                    Piece("digest", "Knows Kubernetes well" if i == 4 else "A generalist"),
                    Piece("transcript", "BOT: Hello\nHUMAN: I mentioned Terraform once"),
                ),
            )
        )
    return calls


def filled(index: ScreeningIndex, count: int = 6, job_id: str = "j-1", read_at: float = 100.0) -> None:
    calls = nurse_calls(count, job_id)
    applications = [
        IndexedApplication(str(call.application_id), job_id, call.candidate_id, "ACTIVE", "new", "completed")
        for call in calls
    ]
    names = [(str(call.candidate_id), f"Person {n}") for n, call in enumerate(calls)]
    index.replace_job((job_id, *JOB[1:]), applications, names, calls, Coverage(read_at, True))


def test_a_query_ranks_calls_by_their_best_field_and_marks_the_match() -> None:
    index = ScreeningIndex()
    filled(index)
    found = index.search("nights", Filters(), 10)
    assert found.total == 3 and {m.call_id for m in found.matches} == {"j-1-c5", "j-1-c3", "j-1-c1"}
    best = found.matches[0]
    assert (best.field, best.label) == ("answers", "Does the night schedule work for you?")
    assert best.snippet is not None and "**night**" in best.snippet and "**nights**" in best.snippet  # stemmed


def test_phrases_prefixes_and_booleans_are_read_and_a_broken_query_is_named() -> None:
    index = ScreeningIndex()
    filled(index)
    # Across the fields of one call: c4 said "days only" in an answer, its digest says Kubernetes.
    (both,) = index.search("days AND kubernetes", Filters(), 10).matches
    assert both.call_id == "j-1-c4" and both.field in ("answers", "digest") and "**" in (both.snippet or "")
    assert index.search('"available immediately"', Filters(), 10).total == 2
    assert index.search("kube*", Filters(), 10).total == 1
    assert index.search("nights NOT kubernetes", Filters(), 10).total == 3
    assert index.search("nights AND kubernetes", Filters(), 10).total == 0
    with pytest.raises(QuerySyntax):
        index.search('"unbalanced', Filters(), 10)


def test_filters_narrow_by_score_assessment_category_field_and_job() -> None:
    index = ScreeningIndex()
    filled(index)
    filled(index, job_id="j-2")
    assert index.search("nights", Filters(job_ids=("j-2",)), 10).total == 3
    assert index.search("nights", Filters(min_score=63, max_score=64), 10).total == 2  # c3 of each job
    assert index.search(None, Filters(intelligence="CALL_SUCCESS", job_ids=("j-1",)), 10).total == 3
    # The category confines a summary match to that category; other fields still match.
    assert index.search("immediately", Filters(category="availability"), 10).total == 4
    assert index.search("immediately", Filters(category="compensation", where=("summary",)), 10).total == 0
    # The transcript is searched only when asked for.
    assert index.search("terraform", Filters(), 10).total == 0
    assert index.search("terraform", Filters(where=("transcript",)), 10).total == 12


def test_without_a_query_it_filters_best_score_first() -> None:
    index = ScreeningIndex()
    filled(index)
    found = index.search(None, Filters(min_score=62), 2)
    assert found.total == 4 and [m.score for m in found.matches] == [65.0, 64.0]
    assert found.matches[0].snippet is None and found.matches[0].field is None


def test_a_job_read_again_replaces_what_was_kept_for_it_alone() -> None:
    index = ScreeningIndex()
    filled(index)
    filled(index, job_id="j-2")
    filled(index, count=2, read_at=200.0)  # j-1 now has two calls
    assert index.search("nights", Filters(job_ids=("j-1",)), 10).total == 1
    assert index.search("nights", Filters(job_ids=("j-2",)), 10).total == 3
    assert index.coverage("J-1") == Coverage(200.0, True)  # a job id in any case is the same job
    assert index.status().calls == 8


def test_a_fill_cut_short_leaves_the_job_as_it_was() -> None:
    index = ScreeningIndex()
    filled(index)

    def read_until_killed() -> Iterator[IndexedCall]:
        yield from nurse_calls(2)
        raise KeyboardInterrupt  # the process stopped half-way through writing the job

    with pytest.raises(KeyboardInterrupt):
        index.replace_job(JOB, [], [], cast(Sequence[IndexedCall], read_until_killed()), Coverage(300.0, True))
    assert index.coverage("j-1") == Coverage(100.0, True) and index.status().calls == 6
    assert index.search("nights", Filters(), 10).total == 3
    filled(index, count=2, read_at=400.0)  # the next fill completes it
    assert index.coverage("j-1") == Coverage(400.0, True) and index.status().calls == 2


def test_a_webhook_marks_a_known_call_or_a_known_applications_call_to_be_read_again() -> None:
    index = ScreeningIndex()
    filled(index)
    assert index.mark_call_stale("J-1-C1")
    assert index.mark_call_stale("new-call", application_id="j-1-a2")
    assert not index.mark_call_stale("elsewhere", application_id="unknown")
    assert sorted(index.stale_calls("j-1")) == ["j-1-c1", "new-call"]
    index.replace_call(nurse_calls(2)[1])
    assert index.stale_calls("j-1") == ["new-call"]


def test_forgetting_old_jobs_and_everything() -> None:
    index = ScreeningIndex()
    filled(index, read_at=100.0)
    filled(index, job_id="j-2", read_at=500.0)
    assert index.forget_jobs_read_before(200.0) == 1
    status = index.status()
    assert (status.jobs, status.calls, status.oldest) == (1, 6, 500.0)
    assert index.candidate_names(["p0"]) == {"p0": "Person 0"}  # still an applicant of j-2
    index.forget_everything()
    assert index.status().calls == 0 and index.search("nights", Filters(), 10).total == 0


def test_a_corrupt_file_is_rebuilt_with_one_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    file = tmp_path / "tenant.sqlite3"
    file.write_bytes(b"this is not a database, but it was once meant to be one" * 100)
    index = ScreeningIndex(str(file))
    with caplog.at_level(logging.WARNING):
        assert index.status().calls == 0
        filled(index)
    assert [r.getMessage() for r in caplog.records if "rebuilt" in r.getMessage()] == [
        f"the screening index at {file} was unreadable (file is not a database) and has been rebuilt empty"
    ]
    assert index.search("nights", Filters(), 10).total == 3
    assert stat.S_IMODE(file.stat().st_mode) == 0o600


def test_each_tenant_key_has_its_own_file_named_by_a_hash(tmp_path: Path) -> None:
    shelf = IndexShelf.for_settings(Settings(index=str(tmp_path)))
    first, second = shelf.for_key("nh_live_first"), shelf.for_key("nh_live_second")
    filled(first)
    assert second.search("nights", Filters(), 10).total == 0
    assert shelf.for_key("nh_live_first") is first
    names = sorted(file.name for file in tmp_path.iterdir() if file.suffix == ".sqlite3")
    assert names == sorted(f"{tenant_name(key)}.sqlite3" for key in ("nh_live_first", "nh_live_second"))
    assert not any("nh_live" in name for name in names)


@pytest.mark.parametrize(
    ("settings", "where"),
    [
        (Settings(index="off"), "off"),
        (Settings(index="memory", data_dir="/srv/data"), "memory"),
        (Settings(sandbox=True, data_dir="/srv/data"), "memory"),  # the sandbox's tenant dies with its process
        (Settings(data_dir="/srv/data"), "/srv/data/index"),
        (Settings(index="~/idx", data_dir="/srv/data"), str(Path("~/idx").expanduser())),
    ],
)
def test_where_the_index_is_kept(settings: Settings, where: str) -> None:
    shelf = IndexShelf.for_settings(settings)
    kept = "off" if not shelf.enabled else "memory" if shelf.folder is None else str(shelf.folder)
    assert kept == where
