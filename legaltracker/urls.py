from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("legaltracker.web.urls")),
    path("", include("legaltracker.security.urls")),
    path("account/api-tokens/", include("legaltracker.security.token_urls")),
    path("board/", include("legaltracker.board.urls")),
    path("reports/inspection-list/", include("legaltracker.inspection.urls")),
    path("reports/performance/", include("legaltracker.performance.urls")),
    path("exports/", include("legaltracker.exports.urls")),
    path("cases/", include("legaltracker.find.urls")),
    path("cases/", include("legaltracker.cases.urls")),
    path("cases/", include("legaltracker.court.urls")),
    path("cases/", include("legaltracker.court.pack_urls")),
    path("court/", include("legaltracker.board.diary_urls")),
    path("letters/", include("letters.urls")),
    path("alerts/", include("legaltracker.alerts.urls")),
    path("audit/", include("legaltracker.audit.urls")),
    path("imports/", include("legaltracker.imports.urls")),
    path("census/", include("legaltracker.census.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/board/", include("legaltracker.board.api_urls")),
    path("api/v1/inspection-list/", include("legaltracker.inspection.api_urls")),
    path("api/v1/census/", include("legaltracker.census.api_urls")),
    path("api/v1/reports/performance/", include("legaltracker.performance.api_urls")),
    path("api/v1/", include("legaltracker.court.api_urls")),
    path("api/v1/", include("legaltracker.api.urls")),
    path("api/v1/", include("letters.api_urls")),
]

# JSON under /api/, the site's pages elsewhere (docs/security.md, "Finding 8"); while the
# database cannot be reached, a 503 from any layer (docs/operations.md, "When the database
# goes away").
handler400 = "legaltracker.api.errors.bad_request"
handler403 = "legaltracker.api.errors.permission_denied"
handler404 = "legaltracker.api.errors.page_not_found"
handler500 = "legaltracker.api.errors.server_error"
