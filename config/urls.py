from django.contrib import admin
from django.urls import include, path

from quizzes import views as quiz_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/signup/", quiz_views.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("quiz/", include("quizzes.urls")),
    path("results/", include("quizzes.results_urls")),
    path("", include("courses.urls")),
]
