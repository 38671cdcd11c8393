"""More ways to say the same thing, for the extra copies of a scaled tenant (`--scale N`).

A catalogue question has three prepared answers; across thousands of calls they would repeat word for
word, which no real tenant does and which would flatter any search built on top. These variations keep
an answer's meaning (and so its score and summary) while changing its words: an opener, a closing
detail from the candidate's own history, and paraphrases of the availability and pay answers.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

# How a candidate starts an answer, often not at all. Each ends a sentence: the answer keeps its capital,
# which may be a name (HubSpot, Manhattan WMS).
_OPENERS = ("Sure. ", "Good question. ", "Let me think. ", "Okay. ", "Right. ", "Hmm, let me see. ", "Happy to. ")

# A detail the candidate adds to a strong or fair answer: {employer}, {years} and {city} are theirs.
_DETAILS = (
    "That was during my {years} years at {employer}.",
    "Most of that was at {employer}, where I've been for {years} years.",
    "My manager at {employer} can speak to that if you need a reference.",
    "I'm happy to go into more detail about the work at {employer}.",
    "We did a lot of that at {employer}, mostly with people in {city}.",
    "I picked most of it up at {employer} over the last {years} years.",
    "It's a big part of why {employer} kept me on for {years} years.",
    "I've been doing that kind of work for about {years} years now.",
)

_AFTER_WEAK = (
    "Sorry, I know that's not a great answer.",
    "I'd be keen to learn it, though.",
    "It's something I want to get better at.",
    "I'm a quick learner, for what it's worth.",
)

# Fictional employers, named so that any kind of job fits them. A candidate's employer and years are fixed
# by their id, so that everything they say, in every call of theirs, agrees.
EMPLOYERS = (
    "Brightwater Group", "Corvid Partners", "Halcyon & Co.", "Ironbridge", "Marigold Holdings", "Northwind Group",
    "Bluefin Holdings", "Copperleaf", "Driftwood Partners", "Foxglove Group", "Granite Peak", "Hollowell & Sons",
    "Juniper Row", "Kestrel Group", "Larkspur", "Mosaic Partners", "Nimbus Group", "Orchard Lane", "Pelican Group",
    "Quarry Hill", "Riverbend", "Saltmarsh & Co.", "Tamarack", "Umber & Co.", "Vireo Group", "Westfield",
    "Yellowpine", "Zephyr Group",
)  # fmt: skip

# Other words for the availability and pay answers of transcripts.py, by the answer they replace.
_PARAPHRASES: Mapping[str, tuple[str, ...]] = {
    "I could start right away; I'm between roles at the moment.": (
        "I'm available immediately; my last contract just ended.",
        "Right away. I finished my previous role last month.",
        "As soon as you need me, honestly. I can start next Monday.",
    ),
    "I'd need to give two weeks' notice, so in about two and a half weeks.": (
        "Two weeks after an offer; I owe my current employer notice.",
        "I'd give the standard two weeks' notice and could start right after that.",
    ),
    "About a month; I have a project to hand over first.": (
        "In about four weeks, once I've wrapped up my current project.",
        "Roughly a month from now; I want to leave my team in good shape.",
    ),
    "Not for three months, I'm afraid. I'm committed to my current contract until then.": (
        "Realistically not before three months; my contract runs until then.",
        "I'm tied up for the next quarter, so three months at the earliest.",
    ),
    "That range works for me.": ("Yes, that fits what I'm looking for.", "That's in line with my expectations."),
    "It works, though I'd be hoping for the upper end of it.": (
        "It fits, but with my experience I'd be aiming for the top of that range.",
        "That works, ideally towards the higher end.",
    ),
    "That's a bit below what I'm looking for, to be honest.": (
        "Honestly, I was hoping for a bit more than that.",
        "That's lower than my current pay, so it would be hard.",
    ),
    "I'm flexible; I'd like to hear about the whole package.": (
        "I'm open; benefits and flexibility matter to me as much as the salary.",
    ),
    "I'm targeting something in line with the market for this role.": (
        "Whatever the market rate is for this kind of role, roughly.",
    ),
}

# A second set of words for each summary band of transcripts.py: strong, middling, weak.
MORE_SUMMARIES: Mapping[str, tuple[str, str, str]] = {
    "communication": (
        "Articulate and concise; backed each answer with a specific example.",
        "Understandable, but tended to ramble before getting to the point.",
        "Hesitant and hard to follow; most answers were a sentence or less.",
    ),
    "experience": (
        "Background closely matches the role, with recent hands-on work.",
        "Adjacent experience; would need some ramp-up on the role's core duties.",
        "Little relevant background for this role.",
    ),
}


def more_technical_summaries(focus: str) -> tuple[str, str, str]:
    return (
        f"Demonstrated depth in {focus}, with concrete results.",
        f"Familiar with {focus}, but answers lacked specifics.",
        f"Could not show hands-on experience with {focus}.",
    )


def reworded(answer: str, quality: str, candidate: Mapping[str, Any], rng: random.Random) -> str:
    """The answer with, now and then, an opener and a detail of the candidate's own."""
    if rng.random() < 0.35:
        answer = rng.choice(_OPENERS) + answer
    if quality == "weak":
        return f"{answer} {rng.choice(_AFTER_WEAK)}" if rng.random() < 0.3 else answer
    if rng.random() < 0.45:
        employer, years = history_of(candidate)
        detail = rng.choice(_DETAILS).format(employer=employer, years=years, city=candidate.get("city") or "my area")
        answer = f"{answer} {detail}"
    return answer


def rephrased(answer: str, rng: random.Random) -> str:
    """The same answer in other words, or (often, and always when there are none) as it was."""
    others = _PARAPHRASES.get(answer, ())
    return rng.choice((answer, answer, *others)) if others else answer


def history_of(candidate: Mapping[str, Any]) -> tuple[str, int]:
    """The candidate's last employer, and their years there."""
    drawn = int(str(candidate["id"]).replace("-", "")[:12], 16)
    return EMPLOYERS[drawn % len(EMPLOYERS)], 2 + drawn // len(EMPLOYERS) % 11
