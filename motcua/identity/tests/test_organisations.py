"""Organisations act through representative citizen accounts."""

import pytest
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.identity.actions import SignInError, decide_representation, register_organisation
from motcua.identity.models import Representation
from motcua.identity.selectors import organisations_of
from motcua.portal.tests.test_apply_wizard import page_url


def confirm(organisation, user, clerk):
    return decide_representation(Representation.objects.get(organisation=organisation, user=user), actor=clerk,
                                 confirm=True)


def test_register_with_a_valid_tax_code_only(citizen, other_citizen, clerk):
    with pytest.raises(SignInError):
        register_organisation(representative=citizen, tax_code="0100109107", name="Sai mã")
    organisation = register_organisation(representative=citizen, tax_code="0100109106", name="Công ty ABC")
    assert register_organisation(representative=citizen, tax_code="0100109106", name="x") == organisation
    confirm(organisation, citizen, clerk)
    with pytest.raises(SignInError):
        register_organisation(representative=other_citizen, tax_code="0100109106", name="Chiếm quyền")
    assert organisations_of(citizen) == [organisation] and organisations_of(other_citizen) == []


def test_representative_files_for_the_business(client, citizen, other_citizen, clerk, demo_catalog, demo_agencies):
    organisation = register_organisation(representative=citizen, tax_code="0100109106", name="Công ty ABC")
    confirm(organisation, citizen, clerk)
    client.force_login(other_citizen)
    client.post(page_url(0), {"name": "Trần Thị Bình", "agency": demo_agencies["tran_bien"].pk,
                              "organisation": organisation.pk})
    assert client.post(page_url(0), {"name": "Trần Thị Bình", "agency": demo_agencies["tran_bien"].pk,
                                     "organisation": organisation.pk}).status_code == 400
    client.force_login(citizen)
    assert "Công ty ABC" in client.get(page_url(0)).content.decode()
    response = client.post(reverse("portal:organisations"), {"tax_code": "123", "name": "X"})
    assert response.status_code == 400 and "Mã số thuế không hợp lệ" in response.content.decode()
    assert Dossier.objects.count() == 0
