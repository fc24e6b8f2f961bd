"""Check-digit validators: the worked examples of the rules reference, and agreement with python-stdnum."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn as std_luhn
from stdnum.cn import ric, uscc

from secscreen.match.validators import (
    VALIDATORS,
    cn_id_checksum,
    cn_id_date,
    cn_id_region,
    luhn,
    not_cn_id,
    not_uscc,
    uscc_checksum,
    uscc_org_code,
)
from secscreen.rules.schema import Conditions

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@pytest.mark.parametrize("value", ["11010519491231002X", "360426199101010071", "450102198001010015"])
def test_worked_id_examples_pass_all_three_checks(value: str) -> None:
    assert cn_id_checksum(value) and cn_id_date(value) and cn_id_region(value)
    assert not not_cn_id(value)


@pytest.mark.parametrize(
    ("value", "failing"),
    [
        ("11010519491231002Y", cn_id_checksum),   # wrong check character
        ("110105194912310021", cn_id_checksum),
        ("110105194902300023", cn_id_date),       # 30 February
        ("990102198001010012", cn_id_region),     # 99 is no province
    ],
)
def test_invalid_ids_fail_the_named_check(value: str, failing) -> None:  # type: ignore[no-untyped-def]
    assert not failing(value)


def test_legacy_15_digit_id_date_and_region() -> None:
    assert cn_id_date("110105491231002") and cn_id_region("110105491231002")
    assert not cn_id_date("110105491331002")


def test_worked_uscc_example_and_it_suppresses_an_id_reading() -> None:
    assert uscc_checksum("91110000600037341L")
    assert not uscc_checksum("91110000600037341M")
    assert not not_uscc("91110000600037341L")


def test_worked_luhn_example() -> None:
    assert luhn("6225881414207430")
    assert not luhn("6225881414207431")
    assert luhn("6225 8814 1420 7430")


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_id_checksum_agrees_with_stdnum(body: str) -> None:
    check = ric.calc_check_digit(body + "0")
    assert cn_id_checksum(body + check)
    wrong = "0" if check != "0" else "1"
    assert not cn_id_checksum(body + wrong)


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_uscc_checksum_agrees_with_stdnum(body: str) -> None:
    assert uscc_checksum(body + uscc.calc_check_digit(body))


@given(st.text(alphabet="0123456789", min_size=16, max_size=19))
def test_luhn_agrees_with_stdnum(number: str) -> None:
    assert luhn(number) == std_luhn.is_valid(number)


def test_embedded_organization_code_check() -> None:
    assert uscc_org_code("91110000600037341L")           # 60003734 -> check 1 (reference worked example)
    assert not uscc_org_code("91110000600037342L")


def test_id_number_that_happens_to_pass_the_uscc_check_is_still_an_id() -> None:
    value = "450122199003150038"
    assert uscc_checksum(value) and not uscc_org_code(value)
    assert not_uscc(value)


GUIDE = (Path(__file__).resolve().parents[1] / "rules" / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(VALIDATORS))
def test_every_validator_is_documented_in_the_authoring_guide(name: str) -> None:
    assert f"`{name}`" in GUIDE


@pytest.mark.parametrize("name", sorted(Conditions.model_fields))
def test_every_condition_is_documented_in_the_authoring_guide(name: str) -> None:
    assert f"`{name}" in GUIDE
