from django.test import Client


def test_login_page_is_persian_and_right_to_left(db):
    # when
    response = Client().get("/accounts/login/")
    # then
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in response.content.decode()


def test_demo_staff_logs_in_and_sees_the_agencies_menu(demo, client):
    # when
    response = client.post("/accounts/login/", {"username": "staff", "password": "demo"})
    page = client.get("/")
    # then
    assert response.status_code == 302
    assert 'data-menu="agencies"' in page.content.decode()
