"""Errors are explained in Persian, on the same right-to-left page as everything else."""

from django.test import Client


def test_an_unknown_address_gets_the_persian_404_page(db):
    # when
    response = Client().get("/no-such-page/")
    # then
    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="fa" dir="rtl">' in page
    assert "۴۰۴" in page
    assert "صفحه پیدا نشد" in page


def test_a_forbidden_page_gets_the_persian_403_page(demo):
    # given
    client = Client()
    client.login(username="assessor", password="demo")
    # when
    response = client.get("/audit/")
    # then
    assert response.status_code == 403
    assert "۴۰۳" in response.content.decode()


def test_a_form_sent_without_its_token_gets_a_persian_explanation(db):
    # when
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "staff", "password": "demo"}
    )
    # then
    assert response.status_code == 403
    assert "اعتبار فرم تمام شده است" in response.content.decode()


def test_a_server_error_gets_the_persian_500_page(rf):
    from karnameh.common.views import server_error

    # when
    response = server_error(rf.get("/"))
    # then
    assert response.status_code == 500
    assert "خطای سامانه" in response.content.decode()
