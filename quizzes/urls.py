from django.urls import path
from django.views.generic import RedirectView

from courses import converters  # noqa: F401 - registers <uslug:...>
from quizzes import review_views, views

app_name = "quizzes"

urlpatterns = [
    path("quiz/answer/<int:question_id>/", views.answer, name="answer"),
    path("quiz/question/<int:question_id>/retry/", views.retry, name="retry"),
    path("quiz/question/<int:question_id>/reveal/", views.reveal, name="reveal"),
    path("quiz/read/<int:topic_id>/", views.mark_read, name="mark-read"),
    # Where "My progress" was before there were several courses.
    path("quiz/progress/", RedirectView.as_view(pattern_name="quizzes:progress", permanent=True)),
    path("review/", review_views.review_page, name="review"),
    path("review/answer/<int:question_id>/", review_views.review_answer, name="review-answer"),
    path("progress/", views.progress_list, name="progress"),
    path("<uslug:course_slug>/progress/", views.progress_detail, name="course-progress"),
]
