"""The admin: sign-in locks after 5 failures for 15 minutes, staff only, editors kept out of user management."""

import datetime
import importlib

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import RequestFactory, override_settings
from django.urls import clear_url_caches
from django.utils import timezone

from .conftest import EDITOR_PASSWORD, admin_url, make_editor

pytestmark = pytest.mark.django_db


def sign_in(client, username, password, address="203.0.113.5"):
    return client.post(
        admin_url("login/"), {"username": username, "password": password, "next": admin_url()}, REMOTE_ADDR=address
    )


def test_five_failures_lock_the_sign_in_even_for_the_right_password(client, editor):
    for _ in range(4):
        assert sign_in(client, "editor", "wrong").status_code == 200
    locked = sign_in(client, "editor", "wrong")
    assert locked.status_code == 429
    assert sign_in(client, "editor", EDITOR_PASSWORD).status_code == 429
    text = locked.content.decode()
    assert "Sign-in paused" in text and "15 minutes" in text
    assert "Traceback" not in text
    assert "_auth_user_id" not in client.session


def test_the_lock_lifts_after_the_cool_off(client, editor):
    for _ in range(5):
        sign_in(client, "editor", "wrong")
    assert sign_in(client, "editor", EDITOR_PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    response = sign_in(client, "editor", EDITOR_PASSWORD)
    assert response.status_code == 302 and response["Location"] == admin_url()
    assert client.get(admin_url()).status_code == 200


def test_a_success_before_the_limit_starts_the_count_again(client, editor):
    for _ in range(4):
        sign_in(client, "editor", "wrong")
    assert sign_in(client, "editor", EDITOR_PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "editor", "wrong").status_code == 200


def test_guessing_one_account_from_many_addresses_is_locked_too(client, editor):
    for n in range(5):
        sign_in(client, "editor", "wrong", address=f"198.51.100.{n}")
    assert sign_in(client, "editor", EDITOR_PASSWORD, address="192.0.2.99").status_code == 429


def test_guessing_many_accounts_from_one_address_is_locked(client, editor):
    for n in range(5):
        sign_in(client, f"someone{n}", "wrong")
    assert sign_in(client, "editor", EDITOR_PASSWORD).status_code == 429
    assert sign_in(client, "editor", EDITOR_PASSWORD, address="192.0.2.7").status_code == 302


def test_behind_the_proxy_only_the_address_it_appended_counts():
    from carnk_site.reliability.clientip import client_ip

    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9", REMOTE_ADDR="10.0.0.1")
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        assert client_ip(request) == "203.0.113.9"
    assert client_ip(request) == "10.0.0.1"


def test_only_staff_can_sign_in(client):
    User.objects.create_user(username="reader", password=EDITOR_PASSWORD)
    response = sign_in(client, "reader", EDITOR_PASSWORD)
    assert response.status_code == 200 and "staff account" in response.content.decode()
    assert client.get(admin_url()).status_code == 302  # back to the sign-in page


def test_editors_cannot_reach_user_management(client, editor):
    client.force_login(editor)
    index = client.get(admin_url())
    assert index.status_code == 200
    apps = {app["app_label"] for app in index.context["app_list"]}
    assert {"articles", "evidence", "glossary"} <= apps
    assert not apps & {"auth", "axes"}
    for url in (
        "auth/user/",
        "auth/group/",
        f"auth/user/{editor.pk}/change/",
        "auth/user/add/",
        f"auth/user/{editor.pk}/password/",
        "axes/accessattempt/",
        "axes/accesslog/",
    ):
        assert client.get(admin_url(url)).status_code == 403, url
    assert not User.objects.get(pk=editor.pk).is_superuser


@pytest.fixture
def admin_path():
    """Reload the URLs with another ADMIN_PATH; put everything back afterwards."""
    import carnk_site.urls

    def use(value):
        with override_settings(ADMIN_PATH=value):
            importlib.reload(carnk_site.urls)
        clear_url_caches()

    yield use
    importlib.reload(carnk_site.urls)
    clear_url_caches()


def test_the_admin_path_is_configurable(client, admin_path):
    with override_settings(ADMIN_PATH="editors-only-7f3k/"):
        admin_path("editors-only-7f3k/")
        assert client.get("/admin/login/").status_code == 404
        assert client.get("/editors-only-7f3k/login/").status_code == 200
        client.force_login(make_editor())
        page = client.get("/editors-only-7f3k/")
        assert page.status_code == 200
        assert "'unsafe-inline'" in page["Content-Security-Policy"]  # the admin's style allowance follows the path
