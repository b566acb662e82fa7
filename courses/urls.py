from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:chapter_slug>/", views.chapter_detail, name="chapter"),
    path("<slug:chapter_slug>/<slug:topic_slug>/", views.topic_detail, name="topic"),
    path(
        "<slug:chapter_slug>/<slug:topic_slug>/diagram/<int:index>/",
        views.diagram_fragment,
        name="diagram",
    ),
]
