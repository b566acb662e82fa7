"""The results dashboard, for staff: /results/…"""

from django.urls import path

from quizzes import results_views as views

app_name = "results"

urlpatterns = [
    path("", views.topics, name="topics"),
    path("questions/", views.questions, name="questions"),
    path("questions/<int:question_id>/", views.question_detail, name="question"),
    path("learners/", views.learners, name="learners"),
    path("learners/<int:learner_id>/", views.learner_detail, name="learner"),
    path("attempts.csv", views.attempts_csv, name="attempts-csv"),
    path("questions.csv", views.questions_csv, name="questions-csv"),
]
