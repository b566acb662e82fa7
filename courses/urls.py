from django.urls import path, register_converter

from courses import views
from courses.converters import UnicodeSlugConverter

app_name = "courses"

register_converter(UnicodeSlugConverter, "uslug")

urlpatterns = [
    path("", views.home, name="home"),
    path("<uslug:chapter_slug>/", views.chapter_detail, name="chapter"),
    path("<uslug:chapter_slug>/<uslug:topic_slug>/", views.topic_detail, name="topic"),
    path(
        "<uslug:chapter_slug>/<uslug:topic_slug>/diagram/<int:index>/",
        views.diagram_fragment,
        name="diagram",
    ),
]
