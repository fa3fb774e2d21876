from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("essor.core.urls")),
    path("accounts/", include("essor.accounts.urls")),
    path("registry/", include("essor.registry.urls")),
    path("audit/", include("essor.audit.urls")),
    path("territory/", include("essor.territory.urls")),
    path("promotion/", include("essor.promotion.urls")),
    path("training/", include("essor.training.urls")),
    path("observatory/", include("essor.observatory.urls")),
    path("incubation/", include("essor.incubation.urls")),
    path("open/", include("essor.observatory.urls_open")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("essor.api_urls")),
    # For signed-in users only (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]): the schema
    # answers 401 to anonymous clients, the documentation page sends them to the login.
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", login_required(SpectacularSwaggerView.as_view(url_name="api-schema")),
         name="api-docs"),
    path("admin/", admin.site.urls),
]

# The error pages: essor's layout, the reader's language (essor.core.errors).
handler400 = "essor.core.errors.bad_request"
handler403 = "essor.core.errors.permission_denied"
handler404 = "essor.core.errors.page_not_found"
handler500 = "essor.core.errors.server_error"
