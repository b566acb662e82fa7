from django.urls import path

from quizzes import views

app_name = "quizzes"

urlpatterns = [
    path("answer/<int:question_id>/", views.answer, name="answer"),
    path("question/<int:question_id>/retry/", views.retry, name="retry"),
    path("read/<int:topic_id>/", views.mark_read, name="mark-read"),
    path("progress/", views.progress_detail, name="progress"),
]
