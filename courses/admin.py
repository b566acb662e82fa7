"""Content in the admin: browsable and searchable, but owned by the Markdown files.

Every field here is written by `load_content`, so the admin is view-only for content: an
edit in the admin would be overwritten by the next import and would bypass the identity
rules that keep learner data attached. Edit the file shown in "source path" instead.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest

from courses.models import Chapter, Course, Topic

# The admin's navigation sidebar repeats the index and takes 300 px from every list: at
# 1280 px the attempts list (which also has a filter sidebar) wrapped its questions a word a
# line. Breadcrumbs and the index stay.
admin.site.enable_nav_sidebar = False


class CourseScopedAdmin(admin.ModelAdmin):
    """Admins (superusers) see every row; instructors only rows of the courses they teach.

    `course_path` is the lookup from the model to its course ("" for Course itself).
    """

    course_path = "course"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        lookup = f"{self.course_path}__instructors" if self.course_path else "instructors"
        return rows.filter(**{lookup: request.user}).distinct()


class FileOwnedAdmin(CourseScopedAdmin):
    """Read-only: no add, change or delete; rows come and go through the files."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Course)
class CourseAdmin(FileOwnedAdmin):
    """Content fields are the files'; admins assign the course's instructors here."""

    course_path = ""
    list_display = ["title", "slug", "language", "source_path", "is_active", "updated_at"]
    list_filter = ["is_active", "language"]
    search_fields = ["title", "slug"]
    fields = ["title", "slug", "language", "summary", "source_path", "is_active", "instructors"]
    readonly_fields = ["title", "slug", "language", "summary", "source_path", "is_active"]
    filter_horizontal = ["instructors"]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "instructors":
            # Instructors are staff: they reach the results dashboard and the admin.
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Chapter)
class ChapterAdmin(FileOwnedAdmin):
    list_display = ["number", "title", "slug", "course", "source_path", "is_active"]
    list_filter = ["is_active", "course"]
    list_select_related = ["course"]
    search_fields = ["title", "slug", "source_path"]


@admin.register(Topic)
class TopicAdmin(FileOwnedAdmin):
    list_display = ["number", "title", "slug", "chapter", "source_path", "is_active", "updated_at"]
    list_filter = ["is_active", "course", "chapter"]
    list_select_related = ["chapter"]
    search_fields = ["title", "slug", "source_path"]
    exclude = ["body_html", "toc_html", "diagrams"]
