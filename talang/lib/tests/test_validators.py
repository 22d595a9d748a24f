"""Properties of what people type into the public forms and the registration API: phone
numbers, e-mail addresses and free text are normalised or refused with a ValidationError,
never with anything else, and the API's JSON always maps onto the form."""

import re
import string
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from talang.intake.forms import FIELD_PATHS, MAX_CHILDREN, RegistrationForm
from talang.intake.services import api_payload_to_form, form_data, form_error_path
from talang.lib.validators import clean_text, normalise_email, normalise_phone


def examples(count: int, **kwargs) -> settings:
    """Deterministic, so that a failure here is a failure everywhere, in a fixed budget."""
    return settings(max_examples=count, derandomize=True, deadline=None, database=None, **kwargs)


E164 = re.compile(r"\+[1-9]\d{6,14}")
# What clean_text() removes: C0 controls but tab and line breaks, DEL and the C1 controls.
CONTROL = {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]} - set("\t\n\r")

# Phone numbers ---------------------------------------------------------------------------

# Swedish mobile numbers: 07 and one of 0, 2, 3, 6, 9, then seven digits (national
# significant number without the trunk 0).
mobile_nsn = st.builds(
    lambda second, rest: f"7{second}{rest}",
    st.sampled_from("02369"),
    st.text(alphabet=string.digits, min_size=7, max_size=7),
)


@st.composite
def written(draw, nsn: str) -> str:
    """``nsn`` as a person might write it: 0…, +46… or 0046…, with spaces and dashes."""
    prefix = draw(st.sampled_from(["0", "+46", "0046", "+46 ", "0046 ", "+46-"]))
    separators = st.sampled_from(["", "", "", " ", "-", " - "])
    digits = "".join(digit + draw(separators) for digit in nsn[:-1]) + nsn[-1]
    padding = st.sampled_from(["", " ", "  ", "\t"])
    return draw(padding) + prefix + digits + draw(padding)


@examples(300)
@given(nsn=mobile_nsn, data=st.data())
def test_a_swedish_mobile_number_normalises_to_e164_however_it_is_written(nsn, data):
    expected = f"+46{nsn}"
    assert normalise_phone(data.draw(written(nsn))) == expected
    assert normalise_phone(data.draw(written(nsn))) == expected
    assert normalise_phone(expected) == expected


@examples(500)
@given(st.text())
@example("")
@example("00")
@example("+")
@example("0" * 300)
@example("+46" + "7" * 100)
@example("070-123 45 67\x00")
def test_any_text_is_a_phone_number_or_a_validation_error(text):
    try:
        number = normalise_phone(text)
    except ValidationError as error:
        assert error.code == "phone"
        return
    assert E164.fullmatch(number), number
    assert normalise_phone(number) == number


# E-mail addresses --------------------------------------------------------------------------


@examples(500)
@given(st.text())
@example("")
@example("@")
@example("a@b")
@example("a@" + "b" * 300 + ".se")
@example("åsa@exämple.se")
@example("a@xn--")
@example("a@-.se")
@example("a@\u0300.se")
@example("\x00@example.org")
def test_any_text_is_an_email_address_or_a_validation_error(text):
    try:
        address = normalise_email(text)
    except ValidationError as error:
        assert error.code == "email"
        return
    assert address == address.lower()
    assert normalise_email(address) == address


local_part = st.from_regex(
    r"[A-Za-z0-9](?:[A-Za-z0-9_+-]|\.(?!\.)){0,30}[A-Za-z0-9]", fullmatch=True
)
domain = st.sampled_from(["example.org", "Example.SE", "talang.EXAMPLE.com", "Räksmörgås.se"])


@examples(200)
@given(local=local_part, domain=domain, padding=st.sampled_from(["", " ", "\t "]))
def test_a_valid_address_is_kept_in_lower_case(local, domain, padding):
    address = f"{local}@{domain}"
    assert normalise_email(f"{padding}{address}{padding}") == address.lower()
    assert normalise_email(address.upper()) == address.lower()


def test_an_international_domain_is_kept_in_unicode_however_it_is_written():
    assert normalise_email("Asa@xn--rksmrgs-5wao1o.se") == "asa@räksmörgås.se"
    assert normalise_email("asa@RÄKSMÖRGÅS.se") == "asa@räksmörgås.se"


# Free text --------------------------------------------------------------------------------


@examples(500)
@given(st.text())
@example("e\x00\u0301")  # a control character between a letter and its accent
@example("e\x85\u0301")
@example(" \u0301")
@example("\u0958")  # NFC makes two code points of it
def test_clean_text_is_idempotent_and_removes_control_characters(text):
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert not CONTROL & set(cleaned)
    assert cleaned == unicodedata.normalize("NFC", cleaned)
    assert cleaned == cleaned.strip()


@examples(300)
@given(st.text(alphabet=st.characters(categories=["L"]), min_size=1))
@example("Ødegård Łukasz 李 Арина محمد")
@example("\u1100\u1161")  # Hangul jamo: NFC composes them into one syllable
def test_clean_text_keeps_every_letter_of_any_script(text):
    assert clean_text(text) == unicodedata.normalize("NFC", text.strip())


@examples(300)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=st.characters(categories=["L", "M", "N", "P", "S"])),
            st.sampled_from(sorted(CONTROL)),
        )
    )
)
def test_clean_text_removes_only_control_characters_and_the_ends_whitespace(parts):
    text = "".join(parts)
    kept = "".join(char for char in text if char not in CONTROL)
    assert clean_text(text) == unicodedata.normalize("NFC", kept).strip()


# The API's JSON onto the form ----------------------------------------------------------------

# Keys that appear in the API's body, so that random bodies often hit the real paths.
KEYS = sorted(
    {part for path in FIELD_PATHS.values() for part in path.split(".")}
    | {"children", "birth_year", "age_band", "wanted", "channel", "language"}
)
json_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["on", "2380", "SE", "2015", "0_5", "email", "2027-06-01"]),
)
json_value = st.recursive(
    json_scalar,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), children, max_size=6),
    ),
    max_leaves=20,
)
json_body = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), json_value, max_size=8)


@examples(200)
@given(json_body)
@example({"household": {"children": [None, 1, "x", [], {"birth_year": {}, "age_band": [1]}]}})
@example({"contact": [], "household": "x", "move": {"expected_date": {"a": 1}}})
@example({"municipalities": {"2380": True}, "magazine": {"wanted": {}}})
def test_any_json_body_maps_onto_the_form_without_raising(body):
    flat, errors = api_payload_to_form(body)
    child_field = re.compile(rf"child_([1-9]|1\d|{MAX_CHILDREN})_(birth_year|age_band)")
    for name, values in flat.items():
        assert name in FIELD_PATHS or child_field.fullmatch(name), name
        assert isinstance(values, list)
        assert all(isinstance(value, str) for value in values)
    for path, messages in errors.items():
        assert isinstance(path, str) and messages
    # Every form field named in the result is reported at the JSON path it came from.
    for name in flat:
        path = form_error_path(name)
        value = body
        for part in path.split("."):
            value = value[int(part)] if isinstance(value, list) else value[part]
        assert value is not None


@pytest.mark.django_db
def test_any_json_body_gives_a_form_that_validates_without_raising(personas):
    region = personas.region

    @examples(100, suppress_health_check=[HealthCheck.too_slow])
    @given(json_body)
    def check(body):
        flat, _errors = api_payload_to_form(body)
        form = RegistrationForm(data=form_data(flat), region=region)
        if not form.is_valid():
            for field in form.errors:
                assert form_error_path(field)

    check()


# Where a form error is shown in the API's JSON ------------------------------------------------


@examples(40)
@given(
    index=st.integers(min_value=1, max_value=MAX_CHILDREN),
    rest=st.sampled_from(["birth_year", "age_band"]),
)
def test_a_child_fields_error_points_into_the_childrens_list(index, rest):
    assert form_error_path(f"child_{index}_{rest}") == f"household.children.{index - 1}.{rest}"


@pytest.mark.parametrize(("field", "path"), sorted(FIELD_PATHS.items()))
def test_every_form_fields_error_points_to_its_json_path(field, path):
    assert form_error_path(field) == path


def test_an_error_of_the_whole_form_points_to_the_body():
    assert form_error_path("__all__") == "body"


def test_the_child_paths_round_trip_through_the_mapping():
    body = {"household": {"children": [{"birth_year": 2015}, {"age_band": "0_5"}]}}
    flat, errors = api_payload_to_form(body)
    assert errors == {}
    assert {form_error_path(name) for name in flat} == {
        "household.children.0.birth_year",
        "household.children.1.age_band",
    }
