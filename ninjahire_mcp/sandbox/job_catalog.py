"""The fictional jobs the sandbox is seeded with, and the screening questions each one asks.

Every question carries three answers (strong, fair, weak) so that a seeded transcript can read like
a real conversation whose quality matches the call's score.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QuestionTemplate:
    text: str
    strong: str
    fair: str
    weak: str


@dataclass(frozen=True)
class JobTemplate:
    title: str
    industry: str
    client_name: str
    job_code: str
    address: str
    city: str
    state_name: str
    zip_code: str
    workplace_type: str
    employment_type: str
    duration: str | None
    pay_frequency: str
    min_pay_rate: float
    max_pay_rate: float
    status: str
    desc: str
    focus: str  # what the "technical_skills" part of a call summary talks about
    questions: tuple[QuestionTemplate, ...]


JOB_TEMPLATES: tuple[JobTemplate, ...] = (
    JobTemplate(
        title="LLM Engineer",
        industry="Artificial Intelligence",
        client_name="Pipedpipper Labs",
        job_code="AI-204",
        address="130 Bayview Drive",
        city="San Jose",
        state_name="CA",
        zip_code="95134",
        workplace_type="remote",
        employment_type="Contract",
        duration="6 months",
        pay_frequency="Per Hour",
        min_pay_rate=48.45,
        max_pay_rate=62.0,
        status="Active",
        desc=(
            "We are seeking a skilled LLM Engineer with a strong background in Python and machine learning "
            "to join our engineering team. The ideal candidate has at least 5 years of experience and is "
            "proficient in implementing multi-agent systems using frameworks like LangGraph, retrieval-"
            "augmented generation and evaluation pipelines. This position is remote, with bi-weekly team "
            "meetings at our San Jose office."
        ),
        focus="LLM application engineering in Python",
        questions=(
            QuestionTemplate(
                "How many years of hands-on Python experience do you have, and what have you built with it recently?",
                "About seven years. Most recently I built an internal document-assistant service in Python "
                "with FastAPI and asyncio that handles a few thousand requests an hour, plus the evaluation "
                "harness around it.",
                "Around three years. I mostly write data pipelines and some Flask APIs, and I've started "
                "using it for LLM prototypes this year.",
                "I've done a couple of online courses in Python. At work I mainly use Excel and some SQL.",
            ),
            QuestionTemplate(
                "Describe a multi-agent or LLM-based system you have designed. Which frameworks did you use, "
                "such as LangGraph?",
                "I designed a claims-triage system with LangGraph: a router agent, a retrieval agent and a "
                "reviewer agent with a human-in-the-loop step. I owned the graph design, state persistence "
                "and the tool-calling contracts between agents.",
                "I built a chatbot with LangChain that calls two tools. I've read the LangGraph docs and "
                "tried the tutorials but haven't shipped a multi-agent system yet.",
                "I haven't designed one myself. I've used ChatGPT a lot, though.",
            ),
            QuestionTemplate(
                "How do you evaluate the quality of an LLM application before it goes to production?",
                "We keep a versioned golden set of around five hundred cases, run automatic graders plus "
                "LLM-as-judge with spot checks by humans, and block a release if faithfulness or task "
                "success drops more than two points.",
                "Mostly manual testing with a list of sample prompts, and we watch user feedback after release.",
                "I'd try it a few times and see if the answers look right.",
            ),
            QuestionTemplate(
                "How have you reduced hallucinations or latency in a retrieval-augmented generation pipeline?",
                "We moved to hybrid search with a re-ranker, added citation checks that drop unsupported "
                "claims, and cached embeddings. That cut hallucinated answers by about forty percent and "
                "p95 latency from six seconds to under two.",
                "We tuned the chunk size and added a re-ranker, which helped, though I didn't measure it "
                "very rigorously.",
                "I'm not really sure what retrieval-augmented generation is, to be honest.",
            ),
            QuestionTemplate(
                "This is a remote contract role with bi-weekly team meetings in San Jose. Does that "
                "arrangement work for you?",
                "Yes, completely. I'm in the Bay Area, so coming in every other week is easy, and I've "
                "worked on contracts before.",
                "Remote is great. The in-person meetings might be tricky some weeks, but I can make most of them.",
                "I was looking for something permanent, and I can't really travel to San Jose.",
            ),
        ),
    ),
    JobTemplate(
        title="Senior Backend Engineer",
        industry="Software Development",
        client_name="Harborline Logistics Software",
        job_code="ENG-118",
        address="401 Congress Avenue",
        city="Austin",
        state_name="TX",
        zip_code="78701",
        workplace_type="hybrid",
        employment_type="Full-time",
        duration=None,
        pay_frequency="Per Year",
        min_pay_rate=150000.0,
        max_pay_rate=185000.0,
        status="Active",
        desc=(
            "Harborline is hiring a Senior Backend Engineer to design and run the services behind our "
            "shipment-tracking platform. You will own Go and Python services on Kubernetes, PostgreSQL "
            "data models and event pipelines on Kafka, take part in an on-call rotation and mentor two "
            "mid-level engineers. Hybrid: three days a week in our Austin office."
        ),
        focus="distributed backend systems",
        questions=(
            QuestionTemplate(
                "Tell me about a distributed system you designed. How did you handle failures between services?",
                "I designed our order-event pipeline on Kafka with idempotent consumers, an outbox table "
                "for reliable publishing, and retries with dead-letter topics. We went a full year without "
                "losing an event.",
                "I worked on a set of microservices that talk over REST. We added retries and timeouts after "
                "a couple of outages, though the design was mostly in place before I joined.",
                "Most of my work has been on a single monolith, so I haven't really dealt with that.",
            ),
            QuestionTemplate(
                "How do you find and fix a slow query in PostgreSQL?",
                "I start from pg_stat_statements, read the plan with EXPLAIN ANALYZE, and usually fix it "
                "with a composite or partial index or by rewriting an N+1 pattern. Last quarter that took "
                "our slowest endpoint from 900 milliseconds to 40.",
                "I'd look at EXPLAIN output and add an index. For harder cases I usually ask our DBA.",
                "I'd probably add more memory to the database server.",
            ),
            QuestionTemplate(
                "Describe an incident you handled while on call. What did you change afterwards?",
                "A certificate expired on an internal gateway at 2 a.m. I rolled back traffic, renewed the "
                "cert, and afterwards we automated renewals and added expiry alerts thirty days out. I "
                "wrote the blameless postmortem.",
                "We had a memory leak that restarted pods. I helped restart things and someone else found the cause.",
                "I haven't been on call before.",
            ),
            QuestionTemplate(
                "How do you version and evolve a public API without breaking clients?",
                "Additive changes only within a version, deprecation headers with a published sunset date, "
                "contract tests against our biggest clients' usage, and a new major version only when a "
                "breaking change is unavoidable.",
                "We put a version number in the URL and try not to remove fields.",
                "I'd just update the API and let the clients know.",
            ),
            QuestionTemplate(
                "This role includes mentoring two engineers. How have you supported less experienced developers?",
                "I ran weekly pairing sessions, wrote our code-review guide, and coached one engineer "
                "through their promotion to senior last year.",
                "I review their pull requests and answer questions when they ask.",
                "I prefer to focus on my own work rather than mentoring.",
            ),
        ),
    ),
    JobTemplate(
        title="Data Scientist",
        industry="Retail Analytics",
        client_name="Lumen Retail Group",
        job_code="DS-310",
        address="233 South Wacker Drive",
        city="Chicago",
        state_name="IL",
        zip_code="60606",
        workplace_type="hybrid",
        employment_type="Full-time",
        duration=None,
        pay_frequency="Per Year",
        min_pay_rate=125000.0,
        max_pay_rate=150000.0,
        status="Active",
        desc=(
            "Lumen Retail Group is looking for a Data Scientist to build demand-forecasting and pricing "
            "models, design A/B tests for our e-commerce site and explain results to merchandising "
            "leaders. Strong SQL, Python (pandas, scikit-learn) and experimentation skills required."
        ),
        focus="statistics, experimentation and forecasting",
        questions=(
            QuestionTemplate(
                "Walk me through an A/B test you designed. How did you decide on sample size and when to stop?",
                "For a checkout redesign I ran a power analysis for a one-point lift at eighty percent "
                "power, fixed the duration at two full weeks to cover weekly seasonality, and used CUPED to "
                "reduce variance. We didn't peek before the end date.",
                "I've analysed a few tests that product managers set up. I usually run them until the "
                "result looks significant.",
                "I haven't run A/B tests, but I know what they are.",
            ),
            QuestionTemplate(
                "Tell me about a model you put into production and how you monitored it.",
                "A gradient-boosted demand forecast for four thousand SKUs, retrained weekly in Airflow. We "
                "monitored MAPE by category and input drift, and it cut stock-outs by about twelve percent.",
                "I built a churn model in a notebook and handed it to the engineering team, who deployed it.",
                "My models have mostly stayed in notebooks for class projects.",
            ),
            QuestionTemplate(
                "How comfortable are you writing complex SQL, for example window functions?",
                "Very comfortable. I use window functions daily for cohort retention and running totals, "
                "and I tune queries on Snowflake when they get slow.",
                "I'm fine with joins and group-bys, and I've used window functions a few times with some googling.",
                "I know basic selects, but I usually export to Excel to do the analysis.",
            ),
            QuestionTemplate(
                "How would you explain a disappointing test result to a merchandising leader who was expecting a win?",
                "I'd lead with the decision it supports, show the confidence interval in plain terms, and "
                "bring one or two follow-up ideas from the segment analysis, so the conversation is about "
                "next steps rather than the miss.",
                "I'd show them the numbers and explain that the result wasn't significant.",
                "I'd send the report and let them read it.",
            ),
        ),
    ),
    JobTemplate(
        title="Registered Nurse",
        industry="Healthcare",
        client_name="St. Aurelia Medical Center",
        job_code="RN-ICU-07",
        address="1800 Larimer Street",
        city="Denver",
        state_name="CO",
        zip_code="80202",
        workplace_type="on-site",
        employment_type="Full-time",
        duration=None,
        pay_frequency="Per Hour",
        min_pay_rate=42.0,
        max_pay_rate=55.0,
        status="Active",
        desc=(
            "St. Aurelia Medical Center seeks a Registered Nurse for its 24-bed medical ICU. Requirements: "
            "active Colorado or compact RN license, BLS and ACLS, at least two years of acute-care "
            "experience, and comfort with Epic charting. Three 12-hour shifts per week, including nights "
            "and alternate weekends."
        ),
        focus="acute patient care",
        questions=(
            QuestionTemplate(
                "Do you hold an active RN license valid in Colorado, along with BLS and ACLS?",
                "Yes, I have a compact multistate license from Arizona, and my BLS and ACLS are current "
                "through next year.",
                "My license is active in Nebraska and I've started the Colorado endorsement. BLS is current; "
                "ACLS needs renewing next month.",
                "I'm still waiting on my NCLEX results.",
            ),
            QuestionTemplate(
                "How much acute-care or ICU experience do you have?",
                "Four years in a medical ICU at a level-one trauma center, including ventilated and CRRT "
                "patients, and I precept new graduates.",
                "Two years on a med-surg floor and about six months floating to step-down.",
                "I've mostly worked in a dermatology clinic.",
            ),
            QuestionTemplate(
                "Tell me about a time a patient's condition deteriorated quickly. What did you do?",
                "A post-op patient became hypotensive and tachycardic. I called a rapid response, started "
                "fluids per protocol, drew labs, and gave a clear SBAR handoff to the team. He turned out to "
                "be bleeding and went back to surgery in time.",
                "I noticed a patient's oxygen dropping, raised the head of the bed, put her on oxygen and "
                "told the charge nurse.",
                "I'd tell the doctor, I suppose.",
            ),
            QuestionTemplate(
                "The schedule is three 12-hour shifts, including nights and alternate weekends. Does that "
                "work for you?",
                "Yes, I've worked twelves for years and I actually prefer nights.",
                "Days would be better for me, but I can do nights for a while.",
                "I can only work weekday mornings.",
            ),
            QuestionTemplate(
                "How comfortable are you charting in Epic?",
                "Very comfortable. I was a super-user during our Epic go-live and trained the night shift on "
                "flowsheets and the MAR.",
                "I've used Cerner mostly, but I had Epic in nursing school.",
                "I've only charted on paper.",
            ),
            QuestionTemplate(
                "How do you make sure a shift handoff is safe and complete?",
                "Bedside handoff with the patient, using I-PASS, and we check lines, drips and alarms "
                "together before I leave.",
                "I go through my notes with the next nurse at the station.",
                "I leave notes in the chart for them.",
            ),
        ),
    ),
    JobTemplate(
        title="Customer Support Specialist",
        industry="E-commerce",
        client_name="Parcelpoint",
        job_code="CS-052",
        address="2 North Central Avenue",
        city="Phoenix",
        state_name="AZ",
        zip_code="85004",
        workplace_type="remote",
        employment_type="Full-time",
        duration=None,
        pay_frequency="Per Hour",
        min_pay_rate=20.0,
        max_pay_rate=26.0,
        status="Active",
        desc=(
            "Parcelpoint needs a Customer Support Specialist to answer customer questions by chat, email "
            "and phone, resolve delivery problems and process refunds. Experience with Zendesk or a similar "
            "help desk and excellent written English required. Remote within the US; one weekend shift "
            "per month."
        ),
        focus="customer support",
        questions=(
            QuestionTemplate(
                "Tell me about a time you calmed down an upset customer.",
                "A customer's wedding order was lost two days before the event. I listened, apologised "
                "without excuses, had a replacement shipped overnight and called her the next day to "
                "confirm. She left us a five-star review.",
                "A customer was angry about a late order, so I apologised and gave him a discount code.",
                "I'd transfer them to a manager.",
            ),
            QuestionTemplate(
                "Which help-desk tools have you used, such as Zendesk?",
                "Zendesk for three years, including macros, triggers and the reporting dashboards, and a "
                "bit of Gorgias and Intercom.",
                "I used Freshdesk at my last job for tickets.",
                "I've only answered emails from a shared inbox.",
            ),
            QuestionTemplate(
                "How do you handle a busy day with a long queue of tickets?",
                "I triage by urgency and SLA, use macros for the repetitive cases, and flag patterns to the "
                "team lead, since twenty tickets about one problem usually mean a bigger issue.",
                "I just work through them in order as fast as I can.",
                "It stresses me out, honestly.",
            ),
            QuestionTemplate(
                "The role includes one weekend shift per month. Is that okay?",
                "Yes, that's no problem at all.",
                "Probably, as long as I know the schedule a few weeks ahead.",
                "I can't work weekends.",
            ),
            QuestionTemplate(
                "How would you reply in writing to a customer whose refund was denied?",
                "I'd explain the reason in plain language, point to the exact policy, offer what we can do, "
                "such as store credit or a repair, and tell them how to appeal. Short paragraphs and no "
                "jargon.",
                "I'd tell them the refund was denied because of the policy and include a link to it.",
                "I'd just tell them no.",
            ),
        ),
    ),
    JobTemplate(
        title="Sales Development Representative",
        industry="SaaS",
        client_name="Quotient Cloud",
        job_code="SDR-09",
        address="100 Summer Street",
        city="Boston",
        state_name="MA",
        zip_code="02110",
        workplace_type="hybrid",
        employment_type="Full-time",
        duration=None,
        pay_frequency="Per Year",
        min_pay_rate=58000.0,
        max_pay_rate=72000.0,
        status="Active",
        desc=(
            "Quotient Cloud is hiring a Sales Development Representative to prospect mid-market finance "
            "teams, book qualified meetings for account executives and keep HubSpot up to date. Base "
            "salary plus uncapped commission. Hybrid in Boston, with a clear path to an account "
            "executive role."
        ),
        focus="outbound prospecting",
        questions=(
            QuestionTemplate(
                "Have you carried a quota before? How did you do against it?",
                "Yes, twelve qualified meetings a month at my last company. I hit or beat it eleven of "
                "twelve months and was top SDR for two quarters.",
                "I had an activity target of sixty calls a day, which I usually met. Meetings varied.",
                "No, I've never had a quota.",
            ),
            QuestionTemplate(
                "Walk me through how you open a cold call.",
                "Permission-based opener, a one-line reason I'm calling that's specific to their company, "
                "then a question about their month-end close, because that's where our product helps. I "
                "aim to get them talking within twenty seconds.",
                "I introduce myself and the company and ask if they have a few minutes to hear about our product.",
                "I'd read the script the company gives me.",
            ),
            QuestionTemplate(
                "A prospect says, 'We already have a tool for that.' How do you respond?",
                "I'd agree that most teams do, then ask what they like about it and what still takes them "
                "the most time. If there's a gap, I suggest a short comparison call; if not, I ask when "
                "their contract renews.",
                "I'd mention a couple of features that make us better than the competition.",
                "I'd thank them and move on to the next call.",
            ),
            QuestionTemplate(
                "Which CRM tools have you used, and how do you keep your pipeline organised?",
                "HubSpot and Salesforce. I log every touch the same day, use sequences for follow-ups, and "
                "review stale deals every Friday.",
                "I used Salesforce a bit. I mostly kept track of things in a spreadsheet.",
                "I haven't used a CRM.",
            ),
            QuestionTemplate(
                "Why do you want to work in B2B sales?",
                "I like the mix of research and conversation, and I want to become an account executive "
                "within two years. This role has a clear path to that.",
                "I've heard sales pays well, and I like talking to people.",
                "I'm just looking for any job right now.",
            ),
        ),
    ),
    JobTemplate(
        title="Warehouse Operations Supervisor",
        industry="Logistics",
        client_name="Keystone Distribution",
        job_code="OPS-77",
        address="4400 Alum Creek Drive",
        city="Columbus",
        state_name="OH",
        zip_code="43207",
        workplace_type="on-site",
        employment_type="Full-time",
        duration=None,
        pay_frequency="Per Year",
        min_pay_rate=62000.0,
        max_pay_rate=74000.0,
        status="On Hold",
        desc=(
            "Keystone Distribution seeks a Warehouse Operations Supervisor to lead a second-shift team of "
            "25 associates in a 300,000 square-foot distribution center. You will own safety, pick and "
            "ship productivity, and inventory accuracy in our WMS (Manhattan). Forklift certification a "
            "plus."
        ),
        focus="warehouse operations leadership",
        questions=(
            QuestionTemplate(
                "How many people have you supervised, and on which shifts?",
                "Up to thirty associates on second shift, including two leads, for about four years.",
                "I've been a lead for a team of eight, filling in for the supervisor when needed.",
                "I haven't supervised anyone yet.",
            ),
            QuestionTemplate(
                "How do you keep a warehouse team safe?",
                "Daily five-minute safety huddles, near-miss reporting without blame, and I audit forklift "
                "pre-shift checks myself. We went 500 days without a recordable incident.",
                "I make sure people wear their safety vests and follow the OSHA rules.",
                "Safety is mostly the safety manager's job.",
            ),
            QuestionTemplate(
                "Which warehouse management systems have you used?",
                "Manhattan WMS for five years, including wave planning and cycle-count configuration, and "
                "some Blue Yonder.",
                "I used SAP for receiving and putaway.",
                "We used paper pick lists.",
            ),
            QuestionTemplate(
                "Which metrics do you track to know your shift went well?",
                "Units per hour by area, order accuracy, on-time truck departures and inventory accuracy. I "
                "post them on a board at the end of every shift.",
                "Mostly how many orders we shipped.",
                "I'm not sure; my manager tracked that.",
            ),
        ),
    ),
)

# Answers for questions a customer added themselves, which have no prepared answers.
GENERIC_ANSWERS = QuestionTemplate(
    text="",
    strong=(
        "Yes, that's something I've done a lot of. In my last role I owned it end to end, and I can walk "
        "you through a concrete example with the results we got."
    ),
    fair="Some. I've done it a few times alongside a more senior colleague, so I know the basics.",
    weak="Not really, no. I haven't had the chance to do that yet.",
)
