"""The sandbox's stand-in for "generate questions with AI": five screening questions from a job's text.

Deterministic: the same job always yields the same questions, each with prepared answers of three
qualities, so calls that ask generated questions still get believable transcripts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .job_catalog import QuestionTemplate

QUESTIONS_PER_GENERATION = 5

# Words recognised in a job's title and description, and how a question names them.
_SKILLS: tuple[tuple[str, str], ...] = (
    ("langgraph", "LangGraph"),
    ("python", "Python"),
    ("machine learning", "machine learning"),
    ("kubernetes", "Kubernetes"),
    ("kafka", "Kafka"),
    ("postgresql", "PostgreSQL"),
    ("sql", "SQL"),
    ("react", "React"),
    ("zendesk", "Zendesk"),
    ("hubspot", "HubSpot"),
    ("salesforce", "Salesforce"),
    ("epic", "Epic charting"),
    ("patient", "patient care"),
    ("forecast", "forecasting"),
    ("a/b test", "A/B testing"),
    ("safety", "workplace safety"),
    ("inventory", "inventory management"),
    ("customer", "customer communication"),
    ("prospect", "prospecting"),
    ("excel", "Excel"),
)


def generate_questions(job: Mapping[str, Any]) -> list[QuestionTemplate]:
    title = job["title"]
    skills = _skills_mentioned(f"{title} {job.get('desc') or ''}")[:2]
    questions = [_experience_question(title)]
    questions += [_skill_question(skill) for skill in skills]
    fillers = [_tools_question(title), _accomplishment_question()]
    questions += fillers[: 2 - len(skills)]
    questions.append(_industry_question(job.get("industry") or "this field"))
    questions.append(_logistics_question(job))
    return questions[:QUESTIONS_PER_GENERATION]


def _skills_mentioned(text: str) -> list[str]:
    lowered = text.lower()
    found: list[tuple[int, str]] = []
    for keyword, name in _SKILLS:
        match = re.search(rf"\b{re.escape(keyword)}", lowered)
        if match and name not in (skill for _, skill in found):
            found.append((match.start(), name))
    return [name for _, name in sorted(found)]


def _experience_question(title: str) -> QuestionTemplate:
    return QuestionTemplate(
        f"What experience do you have that prepares you for the {title} role?",
        f"I've spent the last several years doing this kind of work, most recently as a {title} on a team "
        "much like yours, so I could contribute from the first week.",
        "I've done parts of this role before, though not with the full scope in the description.",
        "This would be a big step up for me; I don't have much direct experience yet.",
    )


def _skill_question(skill: str) -> QuestionTemplate:
    return QuestionTemplate(
        f"How have you used {skill} in your recent work? Please give a specific example.",
        f"I use {skill} almost every day. Last quarter I used it to deliver a project that cut my team's "
        "turnaround time by about a third.",
        f"I've used {skill} on a few projects, though it hasn't been my main focus.",
        f"I haven't worked with {skill} yet.",
    )


def _tools_question(title: str) -> QuestionTemplate:
    return QuestionTemplate(
        f"Which tools or methods do you rely on most as a {title}?",
        "A short list of tools I know deeply, checklists for anything repetitive, and a weekly review of "
        "what slowed us down, so the process keeps improving.",
        "Mostly whatever the team already uses; I pick things up as I go.",
        "I'm not sure; I'd use whatever I'm told to.",
    )


def _accomplishment_question() -> QuestionTemplate:
    return QuestionTemplate(
        "Tell me about an accomplishment from your last role that you are proud of.",
        "I took over a process that was always late, rebuilt it with the team, and we delivered on time "
        "every month for the rest of the year.",
        "I was recognised as a reliable team member and covered for my manager a few times.",
        "Nothing in particular comes to mind.",
    )


def _industry_question(industry: str) -> QuestionTemplate:
    return QuestionTemplate(
        f"What interests you about working in {industry}?",
        f"I've worked in {industry} for years and follow it closely; I like how directly the work reaches "
        "the people it serves.",
        f"I haven't worked in {industry} before, but it interests me and my skills carry over.",
        "I'm open to any industry, really.",
    )


def _logistics_question(job: Mapping[str, Any]) -> QuestionTemplate:
    workplace = job.get("workplace_type")
    if not workplace:
        return QuestionTemplate(
            "When would you be available to start?",
            "Within two weeks of an offer.",
            "In about a month, after I finish a project.",
            "Not for at least three months.",
        )
    where = f" and based in {job['city']}" if job.get("city") else ""
    return QuestionTemplate(
        f"This position is {workplace}{where}. Does that arrangement work for you?",
        "Yes, that works perfectly for me.",
        "Mostly, though I'd appreciate some flexibility.",
        "That would be difficult for me.",
    )
