"""Fictional people and places for seeded candidates and recruiters.

Phone numbers stay inside 555-0100..555-0199, the range reserved for fiction in every North American
area code; e-mail addresses use the reserved example.com / example.org domains.
"""

from __future__ import annotations

# fmt: off
FIRST_NAMES: tuple[str, ...] = (
    "Aaliyah", "Aaron", "Adriana", "Alejandro", "Amara", "Andre", "Anika", "Ben", "Bianca", "Caleb",
    "Camila", "Chen", "Chloe", "Darius", "Deepa", "Diego", "Elena", "Elijah", "Emeka", "Fatima",
    "Felix", "Grace", "Hana", "Hector", "Imani", "Isaac", "Jada", "Jamal", "Jasmine", "Javier",
    "Jin", "Julia", "Kai", "Keisha", "Kenji", "Laila", "Leo", "Lucia", "Malik", "Maria",
    "Mateo", "Maya", "Mei", "Miguel", "Nadia", "Naveen", "Nia", "Noah", "Olivia", "Omar",
    "Priya", "Quinn", "Rafael", "Rosa", "Ryan", "Samira", "Santiago", "Sofia", "Tariq", "Tessa",
    "Theo", "Uma", "Valeria", "Wei", "Xavier", "Yara", "Yusuf", "Zoe",
)

LAST_NAMES: tuple[str, ...] = (
    "Abara", "Alvarez", "Anderson", "Bailey", "Banerjee", "Brooks", "Castillo", "Chen", "Coleman",
    "Cruz", "Delgado", "Dubois", "Ellis", "Estrada", "Fischer", "Fitzgerald", "Garcia", "Gupta",
    "Hayes", "Hernandez", "Hoang", "Ibrahim", "Jackson", "Jensen", "Kaur", "Kim", "Kowalski",
    "Lambert", "Lee", "Lopez", "Mahmoud", "Martin", "Mendoza", "Morales", "Nakamura", "Nguyen",
    "Novak", "Okafor", "Oliveira", "Ortiz", "Park", "Patel", "Petrov", "Quintero", "Ramirez",
    "Reyes", "Rossi", "Russo", "Sato", "Schmidt", "Shah", "Silva", "Sullivan", "Tanaka", "Torres",
    "Turner", "Vargas", "Walsh", "Washington", "Watanabe", "Williams", "Yamamoto", "Zhang",
)
# fmt: on

# (city, state, area code) — the area code belongs to the city, the number stays fictional.
CITIES: tuple[tuple[str, str, str], ...] = (
    ("San Jose", "CA", "408"),
    ("Oakland", "CA", "510"),
    ("Austin", "TX", "512"),
    ("Dallas", "TX", "214"),
    ("Chicago", "IL", "312"),
    ("Denver", "CO", "303"),
    ("Phoenix", "AZ", "602"),
    ("Boston", "MA", "617"),
    ("Columbus", "OH", "614"),
    ("Seattle", "WA", "206"),
    ("Atlanta", "GA", "404"),
    ("Minneapolis", "MN", "612"),
    ("Raleigh", "NC", "919"),
    ("Portland", "OR", "503"),
    ("Washington", "DC", "202"),
)

CANDIDATE_SOURCES: tuple[str, ...] = ("LinkedIn", "Indeed", "Referral", "Company Website", "ZipRecruiter")

EMAIL_DOMAINS: tuple[str, ...] = ("example.com", "example.org")

# (name, email, work phone)
RECRUITERS: tuple[tuple[str, str, str], ...] = (
    ("John Avery", "john.avery@example.com", "+12025550101"),
    ("Priscilla Moreno", "priscilla.moreno@example.com", "+13125550102"),
    ("Grant Okoye", "grant.okoye@example.com", "+15125550103"),
    ("Helen Strand", "helen.strand@example.org", "+16175550104"),
)

# The candidate the documentation examples talk about: always seeded, always screened for LLM Engineer.
FEATURED_CANDIDATE = ("Dana", "Whitfield", "San Jose", "CA", "408")
