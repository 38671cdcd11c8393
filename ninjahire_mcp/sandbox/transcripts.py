"""What a completed screening call produced: transcript, per-question scores, summary and digest.

One conversation is built from the job, the candidate, the questions asked and the candidate's
`ability` (0-100): answer quality follows the ability, the scores follow the answers, and the
digest and summary describe the same conversation the transcript shows. With `varied`, the candidate
words the same answers in more ways (the extra copies of a scaled tenant, so that thousands of calls do
not read alike); without it, a conversation is exactly what it has always been for its rng.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import mean
from typing import Any

from .job_catalog import GENERIC_ANSWERS, JOB_TEMPLATES, QuestionTemplate
from .question_generator import generate_questions
from .wording import MORE_SUMMARIES, more_technical_summaries, rephrased, reworded

_CATALOGUE_ANSWERS = {question.text: question for job in JOB_TEMPLATES for question in job.questions}
_FOCUS_BY_TITLE = {job.title: job.focus for job in JOB_TEMPLATES}

STRONG, FAIR, WEAK = "strong", "fair", "weak"


@dataclass(frozen=True)
class _Choice:
    answer: str
    score: int
    summary: str


_AVAILABILITY = (
    _Choice("I could start right away; I'm between roles at the moment.", 95, "Available immediately."),
    _Choice(
        "I'd need to give two weeks' notice, so in about two and a half weeks.",
        85,
        "Can start after a two-week notice period.",
    ),
    _Choice("About a month; I have a project to hand over first.", 65, "Needs about a month before starting."),
    _Choice(
        "Not for three months, I'm afraid. I'm committed to my current contract until then.",
        30,
        "Not available for about three months.",
    ),
)

_COMPENSATION = (
    _Choice("That range works for me.", 92, "Expectations fit the posted range."),
    _Choice(
        "It works, though I'd be hoping for the upper end of it.",
        75,
        "Fits the posted range, hoping for the upper end.",
    ),
    _Choice(
        "That's a bit below what I'm looking for, to be honest.",
        35,
        "Expectations are above the posted range.",
    ),
)

_COMPENSATION_UNPOSTED = (
    _Choice("I'm flexible; I'd like to hear about the whole package.", 85, "Flexible on pay."),
    _Choice(
        "I'm targeting something in line with the market for this role.",
        70,
        "Expects market-rate pay; no figure given.",
    ),
)

_BANDED_SUMMARIES = {
    "communication": (
        "Clear, structured answers with concrete examples; easy to follow.",
        "Generally clear, though several answers stayed general and needed follow-up.",
        "Short, vague answers that needed prompting.",
    ),
    "experience": (
        "Relevant, recent experience at the level the role needs.",
        "Some relevant experience, at a more junior level than the role asks for.",
        "Experience does not match the role's requirements.",
    ),
}

_AFTER_WEAK_ANSWER = ("Not really, sorry.", "I'm willing to learn it quickly.", "Nothing comes to mind.")
_ACKNOWLEDGEMENTS = ("Thank you. ", "Got it. ", "Thanks for explaining. ", "Okay. ", "Understood. ")


@dataclass(frozen=True)
class ScreeningResult:
    call_score: int
    ninjahire_intelligence: str
    call_summary: dict[str, dict[str, Any]]
    call_digest: str
    transcript: str
    questions_response: str
    duration_seconds: int


def screening_conversation(
    job: Mapping[str, Any],
    candidate: Mapping[str, Any],
    questions: Sequence[str],
    ability: float,
    rng: random.Random,
    *,
    answers: Mapping[str, QuestionTemplate] | None = None,
    varied: bool = False,
) -> ScreeningResult:
    """`answers` prepares answers for questions beyond the catalogue's and the generator's (by text)."""
    generated = _generated(*(job.get(name) for name in _GENERATOR_READS))
    prepared = answers or {}
    first = candidate["first_name"]
    client = job.get("client_name") or "the hiring team"
    lines: list[str] = [
        f"BOT: Hi, may I speak with {first}?",
        rng.choice([f"HUMAN: Yes, this is {first}.", "HUMAN: Speaking.", f"HUMAN: Hi, {first} here."]),
        f"BOT: Hi {first}, this is Nina, an AI recruiting assistant calling on behalf of {client} about the "
        f"{job['title']} position you applied for. Is now still a good time for a short screening call?",
        rng.choice(["HUMAN: Yes, now works.", "HUMAN: Sure, I have a few minutes.", "HUMAN: Yes, go ahead."]),
        "BOT: Great. It takes about ten minutes and is recorded so the hiring team can review it. Is that okay?",
        "HUMAN: That's fine.",
    ]
    responses = []
    for index, text in enumerate(questions):
        options = prepared.get(text) or _CATALOGUE_ANSWERS.get(text) or generated.get(text) or GENERIC_ANSWERS
        score = _clamp(round(ability / 10 + rng.gauss(0, 1.3)), 0, 10)
        quality = STRONG if score >= 7 else FAIR if score >= 4 else WEAK
        answer = getattr(options, quality)
        if varied:
            answer = reworded(answer, quality, candidate, rng)
        lead = "Let's start. " if index == 0 else rng.choice(_ACKNOWLEDGEMENTS)
        lines += [f"BOT: {lead}{text}", f"HUMAN: {answer}"]
        lines += _follow_up(quality, rng)
        responses.append({"question": text, "response": answer, "score": score})

    availability = _pick(_AVAILABILITY, ability, rng)
    pay_range = _pay_range(job)
    compensation = _pick(_COMPENSATION if pay_range else _COMPENSATION_UNPOSTED, ability, rng)
    if varied:
        availability = _Choice(rephrased(availability.answer, rng), availability.score, availability.summary)
        compensation = _Choice(rephrased(compensation.answer, rng), compensation.score, compensation.summary)
    lines += [
        "BOT: Thanks. When would you be able to start if you were offered the role?",
        f"HUMAN: {availability.answer}",
        f"BOT: The pay range for this role is {pay_range}. Does that fit your expectations?"
        if pay_range
        else "BOT: What are your pay expectations for this role?",
        f"HUMAN: {compensation.answer}",
        "BOT: Do you have any questions for me about the role?",
    ]
    if rng.random() < 0.5:
        lines += [
            "HUMAN: Yes, what happens after this call?",
            "BOT: The hiring team reviews the conversation, and if they move forward the next step is an "
            "interview with the hiring manager. You should hear back within a few business days.",
            "HUMAN: Great, thank you.",
        ]
    else:
        lines.append("HUMAN: No, I think you've covered everything.")
    lines += [
        f"BOT: Thank you for your time, {first}. {client} will be in touch. Have a great day!",
        "HUMAN: Thanks, you too. Bye!",
    ]

    question_scores = [response["score"] for response in responses]
    technical = round(mean(question_scores) * 10) if question_scores else _noisy(ability, 10, rng)
    communication = _noisy(ability, 8, rng)
    experience = _noisy(ability, 10, rng)
    call_score = round(
        0.4 * technical + 0.2 * communication + 0.2 * experience + 0.1 * availability.score + 0.1 * compensation.score
    )
    focus = _FOCUS_BY_TITLE.get(job["title"], f"the core skills of a {job['title']}")
    technical_summaries = (
        f"Strong, specific command of {focus}.",
        f"Working knowledge of {focus}, with gaps in depth.",
        f"Little demonstrated experience with {focus}.",
    )
    communication_summaries, experience_summaries = _BANDED_SUMMARIES["communication"], _BANDED_SUMMARIES["experience"]
    if varied:
        communication_summaries = rng.choice((communication_summaries, MORE_SUMMARIES["communication"]))
        experience_summaries = rng.choice((experience_summaries, MORE_SUMMARIES["experience"]))
        technical_summaries = rng.choice((technical_summaries, more_technical_summaries(focus)))
    summary = {
        "communication": _category(communication, communication_summaries),
        "technical_skills": _category(technical, technical_summaries),
        "experience": _category(experience, experience_summaries),
        "availability": {"score": availability.score, "summary": availability.summary},
        "compensation": {"score": compensation.score, "summary": compensation.summary},
    }
    return ScreeningResult(
        call_score=call_score,
        ninjahire_intelligence=_intelligence(call_score),
        call_summary=summary,
        call_digest=_digest(job, candidate, call_score, responses, availability, compensation),
        transcript="\n".join(lines),
        questions_response=json.dumps(responses, ensure_ascii=False),
        duration_seconds=240 + 14 * len(lines) + rng.randint(0, 120),
    )


# The fields of a job that generate_questions reads.
_GENERATOR_READS = ("title", "desc", "industry", "workplace_type", "city")


@lru_cache(maxsize=1024)
def _generated(*values: Any) -> dict[str, QuestionTemplate]:
    """The questions generated for a job, by their text; kept, since a scaled tenant asks them per call."""
    job = dict(zip(_GENERATOR_READS, values, strict=True))
    return {question.text: question for question in generate_questions(job)}


def _follow_up(quality: str, rng: random.Random) -> list[str]:
    if quality == WEAK:
        return [
            "BOT: No problem. Is there anything related you'd like to mention?",
            "HUMAN: " + rng.choice(_AFTER_WEAK_ANSWER),
        ]
    if quality == STRONG and rng.random() < 0.4:
        return [
            "BOT: That's a helpful example. What was your own part in it?",
            "HUMAN: I led that work myself and coordinated with two other people, so I'm happy to go "
            "into more detail with the hiring team.",
        ]
    return []


def _pick(choices: Sequence[_Choice], ability: float, rng: random.Random) -> _Choice:
    """Stronger candidates tend towards the better-fitting answers, without it being certain."""
    position = (100 - ability) / 100 * (len(choices) - 1) + rng.uniform(-1, 1)
    return choices[_clamp(round(position), 0, len(choices) - 1)]


def _pay_range(job: Mapping[str, Any]) -> str | None:
    low, high = job.get("min_pay_rate"), job.get("max_pay_rate")
    if low is None or high is None:
        return None
    currency = job.get("pay_rate_currency") or "USD"
    frequency = (job.get("pay_frequency") or "").lower()
    return f"{_money(low, currency)} to {_money(high, currency)}{' ' + frequency if frequency else ''}"


def _money(amount: float, currency: str) -> str:
    figure = f"{amount:,.0f}" if amount >= 1000 else f"{amount:,.2f}"
    return f"${figure}" if currency == "USD" else f"{figure} {currency}"


def _category(score: int, summaries: tuple[str, str, str]) -> dict[str, Any]:
    return {"score": score, "summary": summaries[_band(score)]}


def _band(score: float) -> int:
    return 0 if score >= 70 else 1 if score >= 45 else 2


def _intelligence(call_score: int) -> str:
    return ("call_success", "call_inconclusive", "call_failed")[_band(call_score)]


def _digest(
    job: Mapping[str, Any],
    candidate: Mapping[str, Any],
    call_score: int,
    responses: list[dict[str, Any]],
    availability: _Choice,
    compensation: _Choice,
) -> str:
    name = " ".join(part for part in (candidate["first_name"], candidate.get("last_name")) if part)
    at_client = f" at {job['client_name']}" if job.get("client_name") else ""
    sentences = [f"{name} was screened for the {job['title']} role{at_client} and scored {call_score}/100."]
    if responses:
        best = max(responses, key=lambda response: response["score"])
        worst = min(responses, key=lambda response: response["score"])
        sentences.append(f'The strongest answer was to "{best["question"]}" ({best["score"]}/10).')
        if worst is not best and worst["score"] < best["score"]:
            sentences.append(f'The weakest was to "{worst["question"]}" ({worst["score"]}/10).')
    sentences.append(f"Availability: {availability.summary} Compensation: {compensation.summary}")
    sentences.append(
        (
            "Recommended for the next interview round.",
            "Worth a follow-up conversation before deciding.",
            "Not recommended to move forward for this role.",
        )[_band(call_score)]
    )
    return " ".join(sentences)


def _noisy(center: float, spread: float, rng: random.Random) -> int:
    return _clamp(round(center + rng.gauss(0, spread)), 0, 100)


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))
