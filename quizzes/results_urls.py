"""The results dashboard, for staff: /results/ and /results/<course>/…"""

from django.urls import path

from courses import converters  # noqa: F401 - registers <uslug:...>
from quizzes import results_views as views

app_name = "results"

urlpatterns = [
    path("", views.courses, name="courses"),
    path("<uslug:course_slug>/", views.topics, name="topics"),
    path("<uslug:course_slug>/questions/", views.questions, name="questions"),
    path(
        "<uslug:course_slug>/questions/<int:question_id>/",
        views.question_detail,
        name="question",
    ),
    path("<uslug:course_slug>/learners/", views.learners, name="learners"),
    path("<uslug:course_slug>/learners/<int:learner_id>/", views.learner_detail, name="learner"),
    path("<uslug:course_slug>/attempts.csv", views.attempts_csv, name="attempts-csv"),
    path("<uslug:course_slug>/questions.csv", views.questions_csv, name="questions-csv"),
]
