"""Agency e-ID codes (mã định danh, Decision 20/2020/QĐ-TTg): validated on every form and in the admin, with a
clear message in Vietnamese (and English)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from motcua.directory.validators import validate_eid_code


@pytest.mark.parametrize("code", ["000.00.00.H19", "000.01.70.H19", "000.00.12.H29", "000.00.00.G22"])
def test_valid_codes(code):
    validate_eid_code(code)


@pytest.mark.parametrize("code", ["", "H19", "000.00.00.h19", "000.00.00.H1", "0000.00.00.H19", "000-00-00-H19",
                                  " 000.00.00.H19", "000.00.00.H19\n", "000.0A.00.H19"])
def test_invalid_codes(code):
    with pytest.raises(ValidationError) as caught:
        validate_eid_code(code)
    assert caught.value.code == "invalid_eid_code"


def test_the_message_in_both_languages():
    for language, words in (("vi", "không phải mã định danh"), ("en", "is not an agency e-ID code")):
        with translation.override(language):
            with pytest.raises(ValidationError) as caught:
                validate_eid_code("ABC")
            message = caught.value.messages[0]  # (the message is lazy: read it in the language)
        assert words in message and "000.00.00.H19" in message


def test_the_agency_form_refuses_a_bad_code(demo_agencies):
    agency = demo_agencies["tran_bien"]
    agency.eid_code = "PHUONG-TRAN-BIEN"
    with pytest.raises(ValidationError) as caught:
        agency.full_clean()
    assert "eid_code" in caught.value.message_dict
    assert not agency.is_external  # agencies using motcua are the default
