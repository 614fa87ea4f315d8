from django.urls import path

from motcua.payments import views

app_name = "payments"
urlpatterns = [
    path("vnpay/ipn/", views.vnpay_ipn, name="vnpay_ipn"),
    path("vnpay/ket-qua/", views.vnpay_return, name="vnpay_return"),
    path("vnpay-demo/", views.vnpay_demo, name="vnpay_demo"),  # MOTCUA_DEMO_PAYMENTS only (404 otherwise)
    path("paygov/ipn/", views.paygov_ipn, name="paygov_ipn"),
    path("paygov/ket-qua/", views.paygov_return, name="paygov_return"),
    path("quay/<str:number>/", views.counter_payment, name="counter"),
    path("<str:code>/", views.dossier_payment, name="dossier"),
    path("<str:code>/bien-lai/<str:number>/", views.receipt_pdf, name="receipt"),
]
