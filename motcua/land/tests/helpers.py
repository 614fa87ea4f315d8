"""Land dossiers for the tests: the demo parcels (simulators/land_registry.py) in the demo procedures' e-forms."""

from motcua.dossiers import actions
from motcua.dossiers.actions import Applicant, submit_dossier
from motcua.dossiers.models import Channel

BINH_ID, AN_ID = "075195004321", "075090001234"
TRANSFER_PAPERS = ["don_dang_ky_bien_dong", "giay_chung_nhan", "hop_dong_chuyen_nhuong", "to_khai_tncn",
                   "to_khai_lptb"]
INFO_PAPERS = ["don_dang_ky_bien_dong", "giay_chung_nhan"]


def transfer_form(serial="DN 012345", seller=("Trần Thị Bình", BINH_ID), buyer=("Nguyễn Văn An", AN_ID)):
    return {
        "ben_chuyen_nhuong": {"ho_ten": seller[0], "so_dinh_danh": seller[1]},
        "ben_nhan_chuyen_nhuong": {"ho_ten": buyer[0], "so_dinh_danh": buyer[1]},
        "thua_dat": {"so_thua": "345", "to_ban_do": "12", "so_phat_hanh_gcn": serial},
        "hop_dong": {"so_cong_chung": "4521", "ngay_cong_chung": "2026-11-20"},
    }


def info_form(serial="DN 012345", holder=("Trần Thị Bình", BINH_ID), field="dia_chi", value="Số 9, phường Trấn Biên"):
    return {
        "nguoi_su_dung_dat": {"ho_ten": holder[0], "so_dinh_danh": holder[1]},
        "thua_dat": {"so_thua": "345", "to_ban_do": "12", "so_phat_hanh_gcn": serial},
        "noi_dung_thay_doi": field, "thong_tin_moi": value,
    }


def counter_dossier(catalog, agencies, clerk, code="1.013833", form=None, applicant=("Trần Thị Bình", BINH_ID)):
    return submit_dossier(
        procedure=catalog[code], channel=Channel.COUNTER,
        applicant=Applicant(name=applicant[0], id_number=applicant[1]), competent_agency=agencies["land_office"],
        receiving_agency=agencies["service_center"], actor=clerk,
        form_data=form if form is not None else (info_form() if code == "1.013833" else transfer_form()),
        paper_documents=INFO_PAPERS if code == "1.013833" else TRANSFER_PAPERS)


def approve_info_change(dossier, clerk, specialist, leader):
    """1.013833: receipt → review → the leader's approval (the write-back is queued there)."""
    dossier = actions.forward_dossier(dossier, actor=clerk)
    dossier = actions.forward_dossier(dossier, actor=specialist)
    return actions.approve_dossier(dossier, actor=leader)


def approve_transfer(dossier, clerk, specialist, leader, tax_specialist, treasury_specialist):
    """1.013831 through every agency to the leader's approval (taxes paid on the way)."""
    dossier = actions.forward_dossier(dossier, actor=clerk)
    dossier = actions.forward_dossier(dossier, actor=specialist)
    dossier = actions.pause_for_fees(dossier, actor=tax_specialist, note="Thông báo nộp thuế")
    dossier = actions.record_payment(dossier, actor=None, reference="KB-1")
    dossier = actions.forward_dossier(dossier, actor=tax_specialist)
    dossier = actions.forward_dossier(dossier, actor=treasury_specialist)
    dossier = actions.forward_dossier(dossier, actor=specialist)
    return actions.approve_dossier(dossier, actor=leader)


def signed_in_at_level_2(client, user):
    """The land procedures need an electronic identification of level 2 online (VNeID level 2)."""
    from motcua.identity.assurance import SESSION_KEY

    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = 2
    session.save()
