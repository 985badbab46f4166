from django.urls import path

from motcua.portal import (
    account_views,
    dossier_views,
    identity_views,
    notification_views,
    payment_views,
    rating_views,
    report_views,
    verify_views,
    views,
)

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedures"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure"),
    path("thu-tuc/<str:code>/phien-ban/<int:number>/", views.procedure_detail, name="procedure_version"),
    path("thu-tuc/<str:code>/nop-ho-so/", dossier_views.start, name="dossier_start"),
    path("thu-tuc/<str:code>/mau/<int:document_id>/", views.procedure_template, name="procedure_template"),
    path("ho-so-cua-toi/", dossier_views.mine, name="my_dossiers"),
    path("ho-so-cua-toi/<uuid:public_id>/", dossier_views.detail, name="dossier"),
    path("ho-so-cua-toi/<uuid:public_id>/khai/", dossier_views.edit, name="dossier_form"),
    path("ho-so-cua-toi/<uuid:public_id>/xem-lai/", dossier_views.review, name="dossier_review"),
    path("ho-so-cua-toi/<uuid:public_id>/rut/", dossier_views.withdraw, name="dossier_withdraw"),
    path("ho-so-cua-toi/<uuid:public_id>/xoa/", dossier_views.delete_draft, name="dossier_delete"),
    path(
        "ho-so-cua-toi/<uuid:public_id>/tep/<int:attachment_id>/", dossier_views.download, name="dossier_file"
    ),
    path("ho-so-cua-toi/<uuid:public_id>/thanh-toan/", payment_views.pay, name="dossier_pay"),
    path(
        "ho-so-cua-toi/<uuid:public_id>/bien-lai/<int:receipt_id>/",
        payment_views.receipt,
        name="dossier_receipt",
    ),
    path("ho-so-cua-toi/<uuid:public_id>/danh-gia/", rating_views.dossier_rating, name="dossier_rating"),
    path("danh-gia/", rating_views.kiosk, name="kiosk"),
    path("danh-gia/cam-on/", rating_views.kiosk_thanks, name="kiosk_thanks"),
    path("thanh-toan/ve/<str:gateway>/", payment_views.payment_return, name="payment_return"),
    path("thanh-toan/ipn/<str:gateway>/", payment_views.payment_ipn, name="payment_ipn"),
    path("tai-khoan/", account_views.account, name="account"),
    path("thong-bao/", notification_views.inbox, name="notifications"),
    path("tra-cuu/", dossier_views.lookup, name="lookup"),
    path("tra-cuu/<str:code>", dossier_views.lookup, name="lookup_code"),
    path("so-lieu/", report_views.headline, name="figures"),
    path("xac-thuc/", verify_views.verify, name="verify"),
    path("xac-thuc/<str:code>", verify_views.verify_code, name="verify_code"),
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-xuat/", identity_views.logout_view, name="logout"),
    path("dang-nhap/dinh-danh/<str:provider>/", identity_views.identity_start, name="identity_start"),
    path(
        "dang-nhap/dinh-danh/<str:provider>/ve/", identity_views.identity_callback, name="identity_callback"
    ),
    path("ho-so-cua-toi/nhan-ho-so/", identity_views.claim_dossiers, name="claim_dossiers"),
    path("dang-ky/", views.register_view, name="register"),
]
