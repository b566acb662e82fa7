from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config import health
from quizzes import accounts

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("accounts/signup/", accounts.signup, name="signup"),
    # Django's login and logout, each confirming what became of the learner's progress.
    path("accounts/login/", accounts.Login.as_view(), name="login"),
    path("accounts/logout/", accounts.Logout.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("results/", include("quizzes.results_urls")),
    # Learner pages of quizzes (answers under quiz/, progress) before the course pages, whose
    # /<course>/<chapter>/ would otherwise take /<course>/progress/.
    path("", include("quizzes.urls")),
    path("", include("courses.urls")),
]

# Error pages that never read the request body (see config/errors.py).
handler400 = "config.errors.bad_request"
handler500 = "config.errors.server_error"
