from hypothesis import given
from hypothesis import strategies as st

from motcua.core.text import fold, sort_key


def test_fold_removes_diacritics_and_punctuation():
    assert fold("Đăng ký  KHAI-SINH") == "dang ky khai sinh"
    assert fold("Thủ tục 1.001193") == "thu tuc 1.001193"


def test_sort_key_follows_the_vietnamese_dictionary():
    words = ["Ơn", "Ông", "Ốc", "Ô", "Đỗ", "Đặng", "Dương", "Bùi", "Ấu", "Anh Tuấn", "Ánh", "bạ", "bá", "ba"]
    assert sorted(words, key=sort_key) == [
        "Ánh", "Anh Tuấn", "Ấu", "ba", "bá", "bạ", "Bùi", "Dương", "Đặng", "Đỗ", "Ô", "Ốc", "Ông", "Ơn",
    ]


@given(st.text(alphabet="aăâbcdđeêoôơuưáàảãạấầẩẫậ ", max_size=12), st.text(alphabet="abcđêơư ", max_size=6))
def test_a_word_sorts_before_its_extensions(word, suffix):
    base = word.strip()
    extended = (base + " " + suffix).strip()
    assert sort_key(base) <= sort_key(extended)
