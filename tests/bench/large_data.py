"""A large LetterDesk data folder for ``make bench``.

20,000 mentors, 200,000 interactions and 20,000 experiences, and (from
``large_letters.py``) 3 cycles, 2,000 programs and 100,000 letter requests
with their status history, events, backups and program assignments, written
through the real ``open_database`` (so the schema and migrations are the
app's own) and inserted with ``executemany`` in one transaction: seconds,
not minutes. Dates are relative to "today" (``--today``, default the local
date).

    python tests/bench/large_data.py DIR [--seed N] [--today YYYY-MM-DD]

or, from Python, ``generate_large_data(DataPaths(DIR), seed=...)``.
The folder must not hold LetterDesk data yet.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

# Runnable as a script from any folder: make the repository importable.
_REPO_ROOT = Path(__file__).resolve().parents[2]
if str(_REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(_REPO_ROOT))

import peewee as pw  # noqa: E402
from large_letters import insert_letters  # noqa: E402

from desktop.domain import vocabulary as v  # noqa: E402
from desktop.paths import DataPaths  # noqa: E402
from desktop.store import models as m  # noqa: E402
from desktop.store.database import open_database  # noqa: E402

CHUNK = 10_000


@dataclass(frozen=True)
class Scale:
    """How much to generate. Programs and requests are split over the
    cycles as ``large_letters.cycle_plans`` says (most in the current ERAS
    season)."""

    mentors: int = 20_000
    interactions: int = 200_000
    experiences: int = 20_000
    archived_share: float = 0.02
    programs: int = 2_000
    requests: int = 100_000


DEFAULT_SCALE = Scale()
# The heaviest realistic user, an advising office tracking a class; the
# default above is a stress figure ten times larger.
OFFICE_SCALE = Scale(
    mentors=2_000, interactions=20_000, experiences=2_000, programs=500, requests=10_000
)
SCALES = {"office": OFFICE_SCALE, "stress": DEFAULT_SCALE}


# --- vocabulary for plausible, varied people and places ------------------

# Kept as compact word lists rather than one word per line.
# fmt: off
FIRST_NAMES = (
    "Amara", "James", "Mary", "Wei", "Priya", "Mohammed", "Sofia", "Liam", "Olivia",
    "Noah", "Emma", "Hiroshi", "Yuki", "Fatima", "Carlos", "Ana", "David", "Sarah",
    "Michael", "Aisha", "Chen", "Raj", "Ingrid", "Lars", "Olga", "Dmitri", "Kwame",
    "Chiamaka", "Thomas", "Elena", "Daniel", "Grace", "Samuel", "Leila", "Omar",
    # Non-ASCII: accents, Polish, Vietnamese, CJK, Arabic, Hebrew, Greek, Cyrillic.
    "José", "Zoë", "Łukasz", "François", "Søren", "Björn", "Nguyễn Thị", "Ángel",
    "Müge", "Ólafur", "Ewa", "Tomáš", "Réka", "Çağla", "美咲", "伟", "محمد", "نور",
    "אורי", "Γιώργος", "Наталья", "Jürgen", "Siobhán",
)
LAST_NAMES = (
    "Okafor", "Smith", "Johnson", "Williams", "Brown", "Garcia", "Martinez", "Lee",
    "Patel", "Kim", "Nguyen", "Chen", "Wang", "Singh", "Khan", "Cohen", "Müller",
    "Schmidt", "Rossi", "Dubois", "Novak", "Kowalski", "Andersson", "Hansen", "Ivanov",
    "Tanaka", "Sato", "Mensah", "Adeyemi", "O'Brien", "McAllister", "van der Berg",
    "da Silva", "Hernández", "Pérez", "Gómez", "Żuławski", "Wójcik", "Dvořák",
    "Sørensen", "Þórsson", "Öztürk", "Trần", "Lê", "佐藤", "李", "王", "عبد الله",
    "حداد", "לוי", "Παπαδόπουλος", "Смирнова", "Ní Bhriain", "Abernathy-Lowe",
)
HONORIFICS = ("Dr.", "Dr.", "Dr.", "Prof.", "Mr.", "Ms.", "Mx.", "")
CREDENTIALS = ("MD", "MD", "MD, PhD", "DO", "PhD", "MD, MPH", "MBBS", "RN, NP", "PA-C", "")
TITLES = (
    "Associate Professor of Medicine", "Assistant Professor", "Professor and Chair",
    "Clerkship Director", "Program Director", "Attending Physician", "Research Scientist",
    "Principal Investigator", "Lab Manager", "Clinic Director", "Dean of Students", "",
)
SPECIALTIES = (
    "Internal Medicine", "Family Medicine", "Pediatrics", "General Surgery",
    "Emergency Medicine", "Psychiatry", "Neurology", "Obstetrics and Gynecology",
    "Radiology", "Anesthesiology", "Dermatology", "Cardiology", "Gastroenterology",
    "Oncology", "Pathology", "Orthopaedic Surgery", "Ophthalmology", "Nephrology",
    "Infectious Disease", "Pulmonary and Critical Care", "",
)
INSTITUTIONS = (
    "Massachusetts General Hospital", "Johns Hopkins Hospital", "Mayo Clinic",
    "Cleveland Clinic", "UCSF Medical Center", "Mount Sinai Hospital",
    "University of Michigan", "Northwestern Memorial", "Duke University Hospital",
    "Stanford Health Care", "Hôpital Pitié-Salpêtrière", "Charité – Universitätsmedizin",
    "Karolinska Universitetssjukhuset", "東京大学医学部附属病院", "Hospital Clínic de Barcelona",
    "County General", "St. Mary's Community Hospital", "Riverside Family Practice",
    "VA Medical Center", "Children's Hospital of Philadelphia",
)
DEPARTMENTS = ("Medicine", "Surgery", "Pediatrics", "Psychiatry", "Neurology",
               "Biochemistry", "Public Health", "Medical Education", "")
HOW_MET = (
    "Third-year clerkship attending", "Summer research program", "Sub-internship",
    "Student interest group advisor", "Quality improvement project", "Shadowing",
    "Volunteer clinic", "Anatomy teaching assistant", "",
)
INTERACTION_SUMMARIES = {
    v.InteractionKind.MEETING: ("Career advice meeting", "Discussed residency plans",
                                "Coffee chat about research", "Mid-rotation check-in"),
    v.InteractionKind.FEEDBACK: ("Feedback on presentations: more concise assessment",
                                 "Praised my patient follow-up", "Written evaluation received"),
    v.InteractionKind.PRESENTATION: ("Presented a case at morning report",
                                     "Journal club on SGLT2 inhibitors",
                                     "Poster at department day"),
    v.InteractionKind.ACCOMPLISHMENT: ("Saw me run a family meeting", "Abstract accepted",
                                       "Caught a missed diagnosis on rounds"),
    v.InteractionKind.EMAIL: ("Sent CV update", "Asked about away rotations",
                              "Shared manuscript draft"),
    v.InteractionKind.THANK_YOU: ("Thank-you card after rotation", "Thanked for mentorship"),
    v.InteractionKind.OTHER: ("Ran into each other at grand rounds", "Conference dinner"),
}
EXPERIENCE_TITLES = {
    v.ExperienceKind.ROTATION: "{spec} clerkship",
    v.ExperienceKind.SUB_INTERNSHIP: "{spec} sub-internship",
    v.ExperienceKind.RESEARCH: "{spec} outcomes research project",
    v.ExperienceKind.COURSE: "Advanced {spec} elective",
    v.ExperienceKind.JOB: "Research assistant, {spec}",
    v.ExperienceKind.OTHER: "{spec} volunteer clinic",
}
# fmt: on


# --- bulk insertion --------------------------------------------------------


def _sql_value(value: object) -> object:
    """What sqlite3 stores for a Python value, formatted the way Peewee
    reads it back (ISO dates, 'YYYY-MM-DD HH:MM:SS' moments, 0/1)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


class BulkInserter:
    """``executemany`` straight on the connection, for one model and the
    columns the caller provides; every other column gets the model's
    default (computed once). Rows are tuples in ``columns`` order with
    values already in their SQL form."""

    def __init__(self, db: pw.SqliteDatabase, model: type[m.BaseModel], columns: Sequence[str]):
        meta = model._meta
        provided = [meta.fields[name] for name in columns]
        rest = [
            f
            for f in meta.sorted_fields
            if f.name not in columns and not isinstance(f, pw.AutoField)
        ]
        for field in rest:
            if field.default is None and not field.null:
                raise ValueError(f"{model.__name__}.{field.name} has no default; provide it")
        self.defaults = tuple(
            _sql_value(f.default() if callable(f.default) else f.default) for f in rest
        )
        names = ", ".join(f'"{f.column_name}"' for f in provided + rest)
        marks = ", ".join("?" * (len(provided) + len(rest)))
        self.sql = f'INSERT INTO "{meta.table_name}" ({names}) VALUES ({marks})'
        self.db = db
        self.table = meta.table_name
        self.count = 0

    def insert(self, rows: Iterable[tuple]) -> None:
        """Insert ``rows``. The table's own indexes are dropped first and
        created again from their stored SQL afterwards (same transaction,
        same schema): building an index from all rows at once is several
        times faster than updating it for every row in random key order."""
        conn = self.db.connection()
        defaults = self.defaults
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            (self.table,),
        ).fetchall()
        for name, _sql in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        for chunk in _chunks(rows, CHUNK):
            conn.executemany(self.sql, [row + defaults for row in chunk])
            self.count += len(chunk)
        for _name, sql in indexes:
            conn.execute(sql)


def _chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- generators ----------------------------------------------------------


def _ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = "".join(ch for ch in folded.lower() if ch.isalnum())
    return slug or "x"


def _moment(rng: random.Random, day: date) -> str:
    """A UTC moment on ``day`` during working hours, as Peewee stores it."""
    seconds = rng.randrange(8 * 3600, 20 * 3600)
    return (datetime(day.year, day.month, day.day) + timedelta(seconds=seconds)).isoformat(" ")


def _mentor_rows(rng: random.Random, scale: Scale, today: date) -> Iterator[tuple]:
    categories = [c.value for c in v.MentorCategory]
    # Clinical supervisors dominate a student's list, "other" is rare.
    category_weights = [3, 5, 3, 2, 1]
    preferences = [p.value for p in v.ReminderPreference]
    for mentor_id in range(1, scale.mentors + 1):
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        institution = rng.choice(INSTITUTIONS)
        domain = _ascii_slug(institution)[:12] + ".edu"
        email = f"{_ascii_slug(first)[:8]}.{_ascii_slug(last)[:10]}{mentor_id}@{domain}"
        created = today - timedelta(days=rng.randrange(0, 900))
        updated = created + timedelta(days=rng.randrange(0, (today - created).days + 1))
        yield (
            mentor_id,
            rng.choice(HONORIFICS),
            first,
            last,
            rng.choice(CREDENTIALS),
            rng.choice(TITLES),
            rng.choice(DEPARTMENTS),
            rng.choice(SPECIALTIES),
            institution,
            email if rng.random() > 0.03 else "",  # a few without an address
            f"+1 555 {rng.randrange(1000000):07d}" if rng.random() < 0.4 else "",
            rng.choices(categories, category_weights)[0],
            int(rng.random() < 0.03),  # department chair
            int(rng.random() < 0.10),  # can write a standardized letter
            rng.randint(1, 5),
            rng.choice(preferences),
            rng.choice(HOW_MET),
            "Prefers email reminders; slow to reply in July." if rng.random() < 0.1 else "",
            int(rng.random() < scale.archived_share),
            _moment(rng, created),
            _moment(rng, updated),
        )


# fmt: off
MENTOR_COLUMNS = (
    "id", "honorific", "first_name", "last_name", "credentials", "title", "department",
    "specialty", "institution", "email", "phone", "category", "is_department_chair",
    "can_write_standardized", "strength", "reminder_preference", "how_met", "notes",
    "archived", "created_at", "updated_at",
)
# fmt: on


def _interaction_rows(rng: random.Random, scale: Scale, today: date) -> Iterator[tuple]:
    """Skewed over mentors (a few close mentors have hundreds of entries,
    many have a handful, some none), dated over the last two years and
    inserted in date order, as a log grows."""
    mentor_ids = range(1, scale.mentors + 1)
    weights = [rng.paretovariate(1.5) for _ in mentor_ids]
    owners = rng.choices(mentor_ids, weights, k=scale.interactions)
    days = sorted(rng.randrange(0, 730) for _ in range(scale.interactions))
    kinds = list(INTERACTION_SUMMARIES)
    kind_weights = [5, 3, 2, 2, 4, 2, 1]
    picked_kinds = rng.choices(kinds, kind_weights, k=scale.interactions)
    for owner, days_ago, kind in zip(owners, reversed(days), picked_kinds, strict=True):
        day = today - timedelta(days=days_ago)
        yield (
            owner,
            day.isoformat(),
            kind.value,
            rng.choice(INTERACTION_SUMMARIES[kind]),
            int(rng.random() < 0.1),
            _moment(rng, day),
        )


INTERACTION_COLUMNS = (
    "mentor",
    "occurred_on",
    "kind",
    "summary",
    "mention_in_letter",
    "created_at",
)


def _experience_rows(
    rng: random.Random, scale: Scale, today: date
) -> tuple[list[tuple], list[tuple]]:
    """Experiences (rotations around today, older research and jobs) and
    their mentor links: one to three mentors each."""
    kinds = list(EXPERIENCE_TITLES)
    kind_weights = [6, 2, 2, 1, 1, 1]
    experiences: list[tuple] = []
    links: list[tuple] = []
    for experience_id in range(1, scale.experiences + 1):
        kind = rng.choices(kinds, kind_weights)[0]
        specialty = rng.choice(SPECIALTIES[:-1])
        if kind.is_clinical:
            start = today - timedelta(days=rng.randrange(-60, 700))
            end: date | None = start + timedelta(weeks=rng.choice((2, 4, 4, 6, 8)))
        else:
            start = today - timedelta(days=rng.randrange(30, 1500))
            end = None if rng.random() < 0.2 else start + timedelta(days=rng.randrange(30, 400))
        experiences.append(
            (
                experience_id,
                kind.value,
                EXPERIENCE_TITLES[kind].format(spec=specialty),
                rng.choice(INSTITUTIONS),
                specialty,
                start.isoformat(),
                end.isoformat() if end else None,
                "Night float included." if rng.random() < 0.05 else "",
                _moment(rng, min(start, today)),
            )
        )
        for mentor_id in rng.sample(range(1, scale.mentors + 1), rng.choice((1, 1, 1, 2, 2, 3))):
            links.append((experience_id, mentor_id))
    return experiences, links


EXPERIENCE_COLUMNS = (
    "id", "kind", "title", "institution", "specialty", "start_date", "end_date", "notes",
    "created_at",
)  # fmt: skip


# --- the folder ------------------------------------------------------------


def generate_large_data(
    paths: DataPaths,
    seed: int = 20_250_101,
    scale: Scale = DEFAULT_SCALE,
    today: date | None = None,
) -> dict[str, int]:
    """Fill the empty data folder ``paths`` with a large, deterministic (for a
    given seed and ``today``) data set. Returns the number of rows per table."""
    if paths.has_data():
        raise FileExistsError(f"{paths.root} already holds LetterDesk data")
    paths.ensure()
    rng = random.Random(seed)
    today = today or date.today()
    db = open_database(paths.database, backup_dir=paths.backups)
    counts: dict[str, int] = {}
    try:
        with db.atomic():
            m.Profile.create(
                full_name="Avery Quinn-Larsen",
                email="avery.quinn@student.example.edu",
                school="Lakeside University School of Medicine",
                graduation_year=today.year + 1,
                target_specialty="Internal Medicine",
            )
            counts["profile"] = 1

            mentors = BulkInserter(db, m.Mentor, MENTOR_COLUMNS)
            mentors.insert(_mentor_rows(rng, scale, today))
            counts["mentor"] = mentors.count

            interactions = BulkInserter(db, m.Interaction, INTERACTION_COLUMNS)
            interactions.insert(_interaction_rows(rng, scale, today))
            counts["interaction"] = interactions.count

            experience_rows, link_rows = _experience_rows(rng, scale, today)
            experiences = BulkInserter(db, m.Experience, EXPERIENCE_COLUMNS)
            experiences.insert(experience_rows)
            links = BulkInserter(db, m.ExperienceMentor, ("experience", "mentor"))
            links.insert(link_rows)
            counts["experience"] = experiences.count
            counts["experience_mentor"] = links.count

            counts |= insert_letters(
                db,
                rng,
                today=today,
                mentors=scale.mentors,
                programs=scale.programs,
                requests=scale.requests,
                inserter=BulkInserter,
            )

        # Leave the file as the app leaves it on exit: WAL folded back in.
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path, help="a new or empty folder")
    parser.add_argument("--seed", type=int, default=20_250_101)
    parser.add_argument("--scale", choices=sorted(SCALES), default="stress")
    parser.add_argument(
        "--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)"
    )
    args = parser.parse_args(argv)
    paths = DataPaths(args.data_dir.expanduser().absolute())
    started = time.perf_counter()
    try:
        counts = generate_large_data(
            paths, seed=args.seed, scale=SCALES[args.scale], today=args.today
        )
    except FileExistsError as exc:
        print(f"large_data: {exc}; choose an empty folder", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{count:,} {table}" for table, count in counts.items())
    size = paths.database.stat().st_size / 2**20
    print(f"large_data: wrote {summary} to {paths.database} ({size:.1f} MiB) in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
