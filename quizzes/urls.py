from django.urls import path

from quizzes import views

app_name = "quizzes"

urlpatterns = [
    path("answer/<int:question_id>/", views.answer, name="answer"),
]
