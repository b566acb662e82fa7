"""Content in the admin: browsable and searchable, but owned by the Markdown files.

Every field here is written by `load_content`, so the admin is view-only for content: an
edit in the admin would be overwritten by the next import and would bypass the identity
rules that keep learner data attached. Edit the file shown in "source path" instead.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from courses.models import Chapter, Course, Topic


class FileOwnedAdmin(admin.ModelAdmin):
    """Read-only: no add, change or delete; rows come and go through the files."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Course)
class CourseAdmin(FileOwnedAdmin):
    list_display = ["title", "slug", "source_path", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["title", "slug"]


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
