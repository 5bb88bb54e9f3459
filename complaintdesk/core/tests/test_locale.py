import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_chinese_by_default_even_for_an_english_browser_and_english_on_request(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "zh-hans"
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert client.get(reverse("login"))["Content-Language"] == "en"
