"""What makes the extra copies of a scaled tenant (`--scale N`) differ from the first.

Copy 0 is the default tenant, untouched. Every further copy has the same seven kinds of job, posted for
other clients in other cities at other pay, and its own candidates: names drawn from a larger pool than
copy 0's, with e-mail addresses and phone numbers that no other candidate of the tenant has.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable
from typing import Any

from .job_catalog import JobTemplate, QuestionTemplate
from .people_catalog import (
    CITIES,
    FIRST_NAMES,
    LAST_NAMES,
    MORE_FIRST_NAMES,
    MORE_LAST_NAMES,
    MORE_RECRUITERS,
    RECRUITERS,
    STATE_NAMES,
    STREETS,
    ZIP_CODES,
)
from .question_generator import generate_questions

# The largest --scale: the fictional phone numbers (below) run out a little beyond it.
MAX_SCALE = 1000

_CLIENT_PREFIXES = (
    "Alder", "Beacon", "Bluestem", "Cedar", "Clearwater", "Crescent", "Evergreen", "Fairhaven", "Granite",
    "Harbor", "Ironwood", "Juniper", "Lakeshore", "Meridian", "Northgate", "Oakridge", "Pinnacle", "Redwood",
    "Silverline", "Summit", "Tidewater", "Vantage", "Willow", "Brightpath", "Coastal", "Highland",
)  # fmt: skip

# What a client hiring for each catalogue job calls itself, after its prefix.
_CLIENT_KINDS: dict[str, tuple[str, ...]] = {
    "LLM Engineer": ("Labs", "AI", "Intelligence", "Machine Learning"),
    "Senior Backend Engineer": ("Logistics Software", "Software", "Technologies", "Platforms"),
    "Data Scientist": ("Retail Group", "Markets", "Commerce", "Stores"),
    "Registered Nurse": ("Medical Center", "Hospital", "Health", "Regional Medical Center"),
    "Customer Support Specialist": ("Delivery", "Shipping", "Home Goods", "Marketplace"),
    "Sales Development Representative": ("Cloud", "Finance Software", "Analytics", "Payments"),
    "Warehouse Operations Supervisor": ("Distribution", "Fulfillment", "Supply", "Freight"),
}

_JOB_STATUSES, _JOB_STATUS_WEIGHTS = ("Active", "On Hold", "Closed"), (80, 12, 8)


def varied_job(rng: random.Random, template: JobTemplate) -> JobTemplate:
    """The catalogue job as another client posts it: its own place, code, pay and status.

    The description, questions and prepared answers name the new client, city and state where the
    catalogue's named the old ones, so that a copy's calls read as consistently as copy 0's."""
    city, state, _area = rng.choice(CITIES)
    client = f"{rng.choice(_CLIENT_PREFIXES)} {rng.choice(_CLIENT_KINDS.get(template.title, ('Group',)))}"
    words = [(template.client_name, client)]
    brand = template.client_name.split()[0]
    if brand != template.client_name and brand.isalpha() and len(brand) >= 5:
        words.append((brand, client.split()[0]))  # "Harborline is hiring ..."
    words += [
        (template.city, city),
        (STATE_NAMES.get(template.state_name, template.state_name), STATE_NAMES.get(state, state)),
    ]

    def local(text: str) -> str:
        for old, new in words:
            text = text.replace(old, new)
        return text

    factor = rng.uniform(0.85, 1.25)
    questions = tuple(
        QuestionTemplate(local(q.text), local(q.strong), local(q.fair), local(q.weak)) for q in template.questions
    )
    varied = dataclasses.replace(
        template,
        client_name=client,
        job_code=f"{template.job_code.rsplit('-', 1)[0]}-{rng.randint(10, 999)}",
        address=f"{rng.randint(1, 99) * 100 + rng.randint(0, 99)} {rng.choice(STREETS)}",
        city=city,
        state_name=state,
        zip_code=ZIP_CODES[city],
        min_pay_rate=_pay(template.min_pay_rate * factor, template.pay_frequency),
        max_pay_rate=_pay(template.max_pay_rate * factor, template.pay_frequency),
        status=rng.choices(_JOB_STATUSES, weights=_JOB_STATUS_WEIGHTS)[0],
        desc=local(template.desc),
        questions=questions,
    )
    if rng.random() < 0.4:
        # Some clients also ask one of the generated questions (about experience or a skill).
        fields = {name: getattr(varied, name) for name in ("title", "desc", "industry", "workplace_type", "city")}
        extra = rng.choice(generate_questions(fields)[:3])
        if extra.text not in {question.text for question in questions}:
            varied = dataclasses.replace(varied, questions=(*questions, extra))
    return varied


def _pay(amount: float, frequency: str) -> float:
    # Hourly rates in cents, yearly salaries in whole thousands, as people post them.
    return round(amount, 2) if frequency == "Per Hour" else float(round(amount / 1000) * 1000)


def recruiter(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(RECRUITERS + MORE_RECRUITERS)


class NamePool:
    """Names for the copies' candidates: every pair of first and last name (the larger lists) that copy
    0 does not use, in an order fixed by the seed. Copy k takes the k-th run of them, so that names
    repeat only once the pool (about 11,000) is used up, beyond --scale 170."""

    def __init__(self, seed: int, taken: Iterable[tuple[str, str]]) -> None:
        used = set(taken)
        self._names = [
            (first, last)
            for first in FIRST_NAMES + MORE_FIRST_NAMES
            for last in LAST_NAMES + MORE_LAST_NAMES
            if (first, last) not in used
        ]
        random.Random(f"{seed}/names").shuffle(self._names)

    def run(self, copy: int, count: int) -> list[tuple[str, str]]:
        start = (copy - 1) * count
        return [self._names[(start + offset) % len(self._names)] for offset in range(count)]


def _spare_area_codes(taken: Iterable[str]) -> list[str]:
    """Area codes of the North American form (NXX) that are neither service codes (N11) nor reserved
    (N9X, 37X, 96X): 555-0100..0199 is fictional in each, as it is in the cities' own codes."""
    skip = set(taken)
    codes = []
    for code in range(200, 1000):
        text = str(code)
        if text[1:] == "11" or text[1] == "9" or text[:2] in ("37", "96") or text in skip:
            continue
        codes.append(text)
    return codes


class Phonebook:
    """Fictional phone numbers no one in the tenant has yet: in the candidate's own area code while it
    has any left (a hundred each), then in the next spare area code."""

    def __init__(self, taken: Iterable[str]) -> None:
        self._taken = set(taken)
        self._free: dict[str, list[str]] = {}
        self._spare = iter(_spare_area_codes(area for _city, _state, area in CITIES))
        self._overflow = ""

    def draw(self, rng: random.Random, area_code: str) -> str:
        numbers = self._numbers(area_code)
        while not numbers:
            if not self._overflow or not self._numbers(self._overflow):
                self._overflow = next(self._spare, "")
                if not self._overflow:
                    raise ValueError(f"no fictional phone numbers left; scale the tenant by at most {MAX_SCALE}")
            numbers = self._numbers(self._overflow)
        return numbers.pop(rng.randrange(len(numbers)))

    def _numbers(self, area_code: str) -> list[str]:
        if area_code not in self._free:
            every = (f"+1{area_code}5550{line}" for line in range(100, 200))
            self._free[area_code] = [phone for phone in every if phone not in self._taken]
        return self._free[area_code]


def capacity() -> int:
    """How many candidates the phone numbers suffice for, the default tenant's and recruiters' aside."""
    cities = {area for _city, _state, area in CITIES}
    return 100 * (len(cities) + len(_spare_area_codes(cities))) - len(RECRUITERS + MORE_RECRUITERS)


def taken_phones(candidates: Iterable[dict[str, Any]]) -> list[str]:
    return [candidate["phone_no"] for candidate in candidates] + [phone for *_, phone in RECRUITERS + MORE_RECRUITERS]
