"""The sign-in pages name the portal (title, header, footer), never the host the request came to."""

import re

import pytest
from django.test import override_settings

HOST = "127.0.0.1:8201"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/dang-nhap/", "/mot-cua/dang-nhap/"])
@override_settings(ALLOWED_HOSTS=["127.0.0.1"], MOTCUA_SITE_NAME="Cổng Dịch vụ công tỉnh Thử Nghiệm")
def test_sign_in_pages_show_the_portal_name(client, path):
    page = client.get(path, HTTP_HOST=HOST).content.decode()
    assert HOST not in page
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    header = re.search(r'<a class="site-name"[^>]*>(.*?)</a>', page, re.S)
    footer = re.search(r'<footer[^>]*>(.*?)</footer>', page, re.S)
    assert title and header and footer
    for part in (title[1], header[1], footer[1]):
        assert "Cổng Dịch vụ công tỉnh Thử Nghiệm" in part
