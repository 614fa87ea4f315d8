"""Sign then verify always passes; any change to any signed parameter, or to the hash, is refused."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.payments.vnpay import canonical, sign, verify_params

SECRET = "PROPERTY-SECRET"
names = st.text(alphabet=string.ascii_letters + string.digits + "_", min_size=1, max_size=12).map(
    lambda name: "vnp_" + name)
values = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from(
    list(" +&=%?/#ĐđắẠữ~*")), min_size=1, max_size=40)
param_sets = st.dictionaries(names, values, min_size=1, max_size=8).filter(
    lambda params: not ({"vnp_SecureHash", "vnp_SecureHashType"} & set(params)))


def signed(params):
    return {**params, "vnp_SecureHash": sign(canonical(params), SECRET)}


@settings(max_examples=300, deadline=None)
@given(param_sets)
def test_sign_then_verify(params):
    assert verify_params(signed(params), SECRET)


@settings(max_examples=300, deadline=None)
@given(param_sets, st.data())
def test_any_change_is_refused(params, data):
    callback = signed(params)
    key = data.draw(st.sampled_from(sorted(params)))
    changed = data.draw(values.filter(lambda value: value != params[key]))
    assert not verify_params({**callback, key: changed}, SECRET)
    digest = callback["vnp_SecureHash"]
    position = data.draw(st.integers(0, len(digest) - 1))
    flipped = digest[:position] + ("0" if digest[position] != "0" else "1") + digest[position + 1:]
    assert not verify_params({**callback, "vnp_SecureHash": flipped}, SECRET)
    assert not verify_params(params, SECRET)  # no hash at all
    assert not verify_params(callback, "another-secret")
