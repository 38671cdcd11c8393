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

# More names for the extra copies of a scaled tenant (`--scale N`), so that thousands of candidates
# rarely share a name; the lists above stay as they are, so scale 1 stays the tenant it always was.
MORE_FIRST_NAMES: tuple[str, ...] = (
    "Abigail", "Ahmed", "Alina", "Amir", "Ana", "Arjun", "Aurora", "Beatriz", "Bilal", "Carmen",
    "Cyrus", "Dmitri", "Eamon", "Esther", "Farah", "Gabriel", "Gianna", "Hiro", "Ines", "Ivan",
    "Jonah", "Kiara", "Lena", "Lorenzo", "Marcus", "Mira", "Nikolai", "Noor", "Oscar", "Paloma",
    "Ravi", "Renata", "Simone", "Sven", "Talia", "Tomas", "Vera", "Wanda", "Yosef", "Zainab",
)

MORE_LAST_NAMES: tuple[str, ...] = (
    "Adeyemi", "Ahmadi", "Becker", "Bjornsson", "Caldwell", "Carvalho", "Dalton", "Dimitrov", "Egan",
    "Eriksen", "Ferreira", "Fontaine", "Gallagher", "Grant", "Haddad", "Holmberg", "Ionescu", "Iwasaki",
    "Jaramillo", "Jovanovic", "Kapoor", "Keller", "Lindgren", "Lindqvist", "Mensah", "Moreau", "Ndiaye",
    "Nieminen", "Osei", "Pereira", "Qureshi", "Rahman", "Santos", "Thornton", "Ueda", "Valdez", "Wojcik",
    "Xu", "Yilmaz", "Zielinski",
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

# More recruiters for the extra copies of a scaled tenant; their numbers stay in the fictional range too.
MORE_RECRUITERS: tuple[tuple[str, str, str], ...] = (
    ("Marisol Vance", "marisol.vance@example.com", "+14045550105"),
    ("Tobias Lindahl", "tobias.lindahl@example.org", "+12065550106"),
    ("Renee Castellano", "renee.castellano@example.com", "+16125550107"),
    ("Owen Achebe", "owen.achebe@example.com", "+19195550108"),
    ("Sunita Rao", "sunita.rao@example.org", "+15035550109"),
    ("Declan Murphy", "declan.murphy@example.com", "+13035550110"),
)

# Where the city of a scaled copy's job is, for its address.
ZIP_CODES: dict[str, str] = {
    "San Jose": "95113", "Oakland": "94612", "Austin": "78701", "Dallas": "75201", "Chicago": "60606",
    "Denver": "80202", "Phoenix": "85004", "Boston": "02110", "Columbus": "43215", "Seattle": "98101",
    "Atlanta": "30303", "Minneapolis": "55402", "Raleigh": "27601", "Portland": "97204", "Washington": "20005",
}  # fmt: skip

STATE_NAMES: dict[str, str] = {
    "CA": "California", "TX": "Texas", "IL": "Illinois", "CO": "Colorado", "AZ": "Arizona", "MA": "Massachusetts",
    "OH": "Ohio", "WA": "Washington", "GA": "Georgia", "MN": "Minnesota", "NC": "North Carolina", "OR": "Oregon",
    "DC": "the District of Columbia",
}  # fmt: skip

STREETS: tuple[str, ...] = (
    "Market Street", "Commerce Drive", "Park Avenue", "Lakeview Road", "Industrial Parkway", "Main Street",
    "Riverside Drive", "Technology Way", "Harbor Boulevard", "Elm Street", "Innovation Court", "Station Road",
)  # fmt: skip

# The candidate the documentation examples talk about: always seeded, always screened for LLM Engineer.
FEATURED_CANDIDATE = ("Dana", "Whitfield", "San Jose", "CA", "408")
