from django.urls import path

from talang.outreach import views

urlpatterns = [
    path("staff/magazine-orders/", views.magazine_orders, name="magazine-orders"),
    path(
        "staff/magazine-orders/download/",
        views.magazine_orders_download,
        name="magazine-orders-download",
    ),
    path("staff/magazine-orders/sent/", views.magazine_orders_sent, name="magazine-orders-sent"),
]
