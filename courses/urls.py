from django.urls import path

from courses import (
    converters,  # noqa: F401 - registers <uslug:...>
    legacy,
    search_views,
    views,
)

app_name = "courses"

urlpatterns = [
    path("", views.home, name="home"),
    # "search" is a reserved course slug and chapter slug (courses/slugs.py).
    path("search/", search_views.search_all, name="search-all"),
    path("<uslug:course_slug>/", views.course_detail, name="course"),
    path("<uslug:course_slug>/search/", search_views.course_search, name="search"),
    path("<uslug:course_slug>/<uslug:chapter_slug>/", views.chapter_detail, name="chapter"),
    path(
        "<uslug:course_slug>/<uslug:chapter_slug>/<uslug:topic_slug>/",
        views.topic_detail,
        name="topic",
    ),
    path(
        "<uslug:course_slug>/<uslug:chapter_slug>/<uslug:topic_slug>/diagram/<int:index>/",
        views.diagram_fragment,
        name="diagram",
    ),
    # Before several courses: /<chapter>/<topic>/diagram/<n>/ (the others share patterns
    # above and redirect from their views).
    path(
        "<uslug:chapter_slug>/<uslug:topic_slug>/diagram/<int:index>/",
        legacy.diagram,
        name="legacy-diagram",
    ),
]
