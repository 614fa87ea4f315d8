"""A citizen becomes a business's legal representative at once when the national business register names them
(matched by the personal ID a VNeID sign-in verified); otherwise the claim waits for a clerk as before. Dissolved
and unknown enterprises are refused; a register that does not answer leaves the claim pending with a clear word."""

import pytest
from django.urls import reverse

from motcua.identity.actions import sign_in_citizen
from motcua.identity.models import AssuranceLevel, Organisation, Representation
from motcua.identity.selectors import organisations_of
from motcua.integrations import business_register as service
from motcua.integrations.models import BusinessRegisterAnswer
from motcua.integrations.tests.business_register_helpers import business_register  # noqa: F401

pytestmark = pytest.mark.usefixtures("forget_committed_call_records")

ACTIVE = "3601234569"  # legal representative: Nguyễn Văn An (075090001234), the demo citizen nguyenvana
DISSOLVED = "3604567894"  # also his, dissolved
JOINT_STOCK = "3602345670"  # Trần Thị Bình (075195004321) and Lê Hoàng Nam


def vneid(user, level=AssuranceLevel.LEVEL_2):
    """USER signs in with VNeID (the provider vouches for their personal ID at LEVEL)."""
    return sign_in_citizen({"national_id": user.national_id, "full_name": user.full_name}, assurance_level=level)


def test_named_by_the_register_the_representation_is_granted_with_its_evidence(business_register, citizen):  # noqa: F811
    citizen = vneid(citizen)
    claim = service.claim_representation(user=citizen, tax_code=ACTIVE, name="typed name is not used")
    assert claim.granted and claim.reason == "named"
    representation = claim.representation
    assert representation.status == Representation.Status.CONFIRMED and representation.kind == "legal"
    assert representation.source == Representation.Source.BUSINESS_REGISTER and representation.decided_by is None
    assert "Giám đốc" in representation.decision_note
    organisation = representation.organisation
    assert organisation.name == "CÔNG TY TNHH THƯƠNG MẠI DỊCH VỤ AN PHÁT" and "Trấn Biên" in organisation.address
    evidence = BusinessRegisterAnswer.objects.get(representation=representation)
    assert evidence.found and evidence.asked_by == citizen and len(evidence.response_sha256) == 64
    assert organisations_of(citizen) == [organisation]
    again = service.claim_representation(user=citizen, tax_code=ACTIVE)  # idempotent
    assert again.representation.pk == representation.pk and Representation.objects.count() == 1


def test_a_level_1_account_counts_too(business_register, other_citizen):  # noqa: F811
    claim = service.claim_representation(user=vneid(other_citizen, AssuranceLevel.LEVEL_1), tax_code=JOINT_STOCK)
    assert claim.granted and claim.representation.decision_note.endswith("(Chủ tịch Hội đồng quản trị)")


def test_not_named_the_claim_waits_for_a_clerk(business_register, other_citizen, clerk):  # noqa: F811
    claim = service.claim_representation(user=vneid(other_citizen), tax_code=ACTIVE)
    assert not claim.granted and claim.reason == "not_named"
    representation = claim.representation
    assert representation.status == Representation.Status.PENDING and representation.source == "claim"
    assert representation.reviewing_agency is not None
    assert representation.organisation.name == "CÔNG TY TNHH THƯƠNG MẠI DỊCH VỤ AN PHÁT"  # from the register
    assert BusinessRegisterAnswer.objects.get().representation == representation  # for the clerk to see
    assert organisations_of(other_citizen) == []


def test_an_id_nobody_verified_does_not_count(business_register, citizen):  # noqa: F811
    assert citizen.assurance_level == AssuranceLevel.NONE  # a password account with an ID set by setup_demo
    claim = service.claim_representation(user=citizen, tax_code=ACTIVE)
    assert not claim.granted and claim.reason == "not_verified"
    assert claim.representation.status == Representation.Status.PENDING
    # later the citizen signs in with VNeID and asks again: the same claim is granted
    later = service.claim_representation(user=vneid(citizen), tax_code=ACTIVE)
    assert later.granted and later.representation.pk == claim.representation.pk
    assert BusinessRegisterAnswer.objects.filter(representation=claim.representation).count() == 2


@pytest.mark.parametrize("fault", [{"fail_next": 5}, {"down": True}, {"malformed_next": 2}])
def test_register_down_the_claim_stays_pending(business_register, citizen, fault):  # noqa: F811
    business_register.state.faults.update(fault)
    claim = service.claim_representation(user=vneid(citizen), tax_code=ACTIVE, name="Công ty An Phát (gõ tay)")
    assert not claim.granted and claim.reason == "unavailable"
    assert claim.representation.status == Representation.Status.PENDING
    assert claim.representation.organisation.name == "Công ty An Phát (gõ tay)"
    assert not BusinessRegisterAnswer.objects.exists()


def test_a_dissolved_enterprise_is_refused_clearly(business_register, citizen):  # noqa: F811
    with pytest.raises(service.BusinessRegisterError) as refused:
        service.claim_representation(user=vneid(citizen), tax_code=DISSOLVED)
    assert refused.value.kind == "ended"
    assert "DOANH NGHIỆP TƯ NHÂN VẬN TẢI HOÀNG GIA" in refused.value.message_vi
    assert "Đã giải thể" in refused.value.message_vi and "no longer exists" in refused.value.message_en
    assert not Representation.objects.exists() and not Organisation.objects.exists()


def test_an_enterprise_the_register_does_not_know_is_refused(business_register, citizen):  # noqa: F811
    with pytest.raises(service.BusinessRegisterError) as refused:
        service.claim_representation(user=vneid(citizen), tax_code="0100109106")
    assert refused.value.kind == "not_found" and "0100109106" in refused.value.message_vi
    assert not Representation.objects.exists()


def test_a_suspended_enterprise_may_still_be_represented(business_register, citizen):  # noqa: F811
    item = business_register.state.snapshot()["businesses"]["3603456782"]
    item["NguoiDaiDienPhapLuat"][0].update(HoVaTen=citizen.full_name, SoDinhDanh=citizen.national_id)
    business_register.state.put(item)
    assert service.claim_representation(user=vneid(citizen), tax_code="3603456782").granted


def test_the_portal_page(business_register, client, citizen, other_citizen):  # noqa: F811
    client.force_login(vneid(citizen))
    page = client.get(reverse("portal:organisations")).content.decode()
    assert "Nghị định 13/2023/NĐ-CP" in page  # the consent text before the look-up
    done = client.post(reverse("portal:organisations"), {"tax_code": "3601234569"}, follow=True).content.decode()
    assert "CSDL quốc gia về đăng ký doanh nghiệp ghi nhận bạn là người đại diện theo pháp luật" in done
    assert "CÔNG TY TNHH THƯƠNG MẠI DỊCH VỤ AN PHÁT" in done and "Đã xác nhận" in done
    refused = client.post(reverse("portal:organisations"), {"tax_code": DISSOLVED})
    assert refused.status_code == 400 and "Đã giải thể" in refused.content.decode()
    business_register.state.faults.update({"down": True})
    client.force_login(vneid(other_citizen))
    pending = client.post(reverse("portal:organisations"), {"tax_code": JOINT_STOCK, "name": "Bình Minh"},
                          follow=True).content.decode()
    assert "không trả lời" in pending and "Chờ xác nhận" in pending


def test_the_clerk_sees_the_register_s_answer_beside_a_pending_claim(business_register, client, other_citizen,  # noqa: F811
                                                                   clerk):
    service.claim_representation(user=vneid(other_citizen), tax_code=ACTIVE)
    client.force_login(clerk)
    page = client.get(reverse("backoffice:representations")).content.decode()
    assert "CÔNG TY TNHH THƯƠNG MẠI DỊCH VỤ AN PHÁT" in page and "Trần Thị Bình" in page
    assert "Nguyễn Văn An (075090001234)" in page and "Đang hoạt động" in page
