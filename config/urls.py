from django.contrib import admin
from django.urls import include, path

# /healthz is answered by config.middleware.HealthCheckMiddleware, before any
# URL is resolved.

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("partnerships.urls")),
    path("", include("sources.urls")),
]
