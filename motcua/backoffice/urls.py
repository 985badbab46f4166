from django.urls import path

from motcua.backoffice import register_views, views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("tiep-nhan/", views.reception, name="reception"),
    path("tiep-nhan/truc-tiep/", views.counter_intake, name="intake"),
    path("ho-so/", views.inbox, name="inbox"),
    path("ho-so/<str:ref>/", views.dossier_detail, name="dossier"),
    path("ho-so/<str:ref>/tep/<int:attachment_id>/", views.download, name="download"),
    path("ho-so/<str:ref>/<slug:action>/", views.dossier_action, name="action"),
    path("ho-so/<str:ref>/phieu-kiem-soat.pdf", register_views.control_slip, name="control_slip"),
    path("thong-bao/", views.notifications, name="notifications"),
    path("so-theo-doi/", register_views.register_page, name="register"),
    path("so-theo-doi/tai-ve.<slug:fmt>", register_views.register_export, name="register_export"),
]

from motcua.backoffice import report_views, search_views, signing_views  # noqa: E402

urlpatterns += [
    path("tra-cuu-ho-so/", search_views.search_dossiers, name="search"),
    path("ky-so/<str:ref>/", signing_views.sign_result, name="sign_result"),
    path("bao-cao/", report_views.dashboard, name="reports"),
    path("bao-cao/ho-so/", report_views.drill_down, name="report_dossiers"),
    path("bao-cao/tai-ve.<slug:fmt>", report_views.export, name="report_export"),
    path("bao-cao/chi-tieu/", report_views.target_list, name="report_targets"),
]

from motcua.backoffice import document_views  # noqa: E402

urlpatterns += [
    path("van-ban/di/", document_views.outgoing, name="documents_out"),
    path("van-ban/den/", document_views.incoming, name="documents_in"),
    path("van-ban/soan-thao/", document_views.new_draft, name="document_new"),
    path("van-ban/den/vao-so/", document_views.register_paper, name="document_paper"),
    path("van-ban/<int:pk>/", document_views.document_page, name="document"),
    path("van-ban/<int:pk>/sua/", document_views.edit_draft, name="document_edit"),
    path("van-ban/<int:pk>/tra-loi/", document_views.answer, name="document_answer"),
    path("van-ban/<int:pk>/tep/<int:file_id>/", document_views.document_file, name="document_file"),
    # A sent document recalled, corrected or replaced by its sender (before the generic actions).
    *(
        path(
            f"van-ban/<int:pk>/{slug}/", document_views.sent_change, {"change": slug}, name=f"document_{slug}"
        )
        for slug in ("thu-hoi", "cap-nhat", "thay-the")
    ),
    path("van-ban/<int:pk>/<slug:action>/", document_views.document_action, name="document_action"),
]

from motcua.backoffice import access_log_views  # noqa: E402

urlpatterns += [
    path("nhat-ky-truy-cap/", access_log_views.access_log_page, name="access_log"),
    path("nhat-ky-truy-cap/tai-ve.csv", access_log_views.access_log_export, name="access_log_export"),
]

from motcua.backoffice import national_views  # noqa: E402

urlpatterns += [
    path("ho-so-cong-quoc-gia/", national_views.inbound_list, name="national_inbound"),
    path(
        "ho-so-cong-quoc-gia/<int:pk>/nhan-lai/",
        national_views.inbound_retake,
        name="national_inbound_retake",
    ),
    path("danh-muc-cong-quoc-gia/", national_views.catalogue_refresh, name="national_catalogue"),
]
