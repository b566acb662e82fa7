"""Questions (view-only: the files own them), learners and their attempts in the admin."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from courses.admin import CourseScopedAdmin, FileOwnedAdmin
from quizzes.models import Attempt, Choice, Learner, Question, TopicProgress


class ChoiceInline(admin.TabularInline):
    model = Choice
    fields = ["position", "text", "is_correct", "pinned", "is_active"]
    # static/css/admin.css hides the row title (the text again, cut at 80 characters, in bold).
    classes = ["choices-inline"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Question)
class QuestionAdmin(FileOwnedAdmin):
    course_path = "topic__course"
    list_display = ["key", "prompt_text", "topic", "source", "version", "is_active"]
    list_filter = ["is_active", "allows_many", "topic__course", "topic__chapter", "topic"]
    list_select_related = ["topic"]
    search_fields = ["key", "prompt_text"]
    exclude = ["prompt_html", "body_html", "explanation_html"]
    inlines = [ChoiceInline]

    class Media:
        css = {"all": ["css/admin.css"]}

    @admin.display(description="source")
    def source(self, obj: Question) -> str:
        return f"{obj.topic.source_path}:{obj.source_line}"


@admin.register(Choice)
class ChoiceAdmin(FileOwnedAdmin):
    course_path = "question__topic__course"
    list_display = ["text", "question", "is_correct", "pinned", "position", "is_active"]
    list_filter = ["is_active", "is_correct", "question__topic"]
    list_select_related = ["question"]
    search_fields = ["text", "question__key", "question__prompt_text"]
    exclude = ["text_html", "feedback_html"]


class ReadOnlyAdmin(CourseScopedAdmin):
    """Learner data is recorded by the site, never typed in: view and (for superusers) delete."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class AttemptInline(admin.TabularInline):
    model = Attempt
    fields = ["created_at", "question", "version", "is_correct", "is_first"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["created_at", "pk"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        rows = super().get_queryset(request).select_related("question")
        if request.user.is_superuser:
            return rows
        return rows.filter(question__topic__course__instructors=request.user)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Learner)
class LearnerAdmin(ReadOnlyAdmin):
    """A learner is an instructor's when they answered or read in one of their courses."""

    list_display = ["__str__", "user", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    list_filter = ["created_at"]
    inlines = [AttemptInline]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        rows = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return rows
        taught = request.user.taught_courses.all()
        return rows.filter(
            Q(attempts__question__topic__course__in=taught) | Q(progress__topic__course__in=taught)
        ).distinct()


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    course_path = "question__topic__course"
    # Few, narrow columns: with the admin's two sidebars, eight of them ran off the right edge
    # at 1280 px. The version is on each attempt's page; whether the question is retired is a
    # filter.
    list_display = ["created_at", "learner", "question_prompt", "topic", "is_correct", "is_first"]
    list_filter = [
        "is_correct",
        "is_first",
        "created_at",
        "question__is_active",
        "question__topic__course",
        "question__topic__chapter",
        "question__topic",
        ("question", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["learner__user", "question__topic"]
    search_fields = ["learner__user__username"]
    date_hierarchy = "created_at"
    # Counting 200,000 rows twice per page is the slow part of a big changelist.
    show_full_result_count = False
    readonly_fields = ["learner", "question", "version", "is_correct", "is_first", "picked"]
    exclude = ["choices", "nonce"]

    @admin.display(description=_("question"), ordering="question__prompt_text")
    def question_prompt(self, obj: Attempt) -> str:
        return Truncator(obj.question.prompt_text).chars(60)

    @admin.display(description=_("topic"))
    def topic(self, obj: Attempt) -> str:
        return obj.question.topic.title

    @admin.display(description="picked")
    def picked(self, obj: Attempt) -> str:
        return "; ".join(c.text for c in obj.choices.all())


@admin.register(TopicProgress)
class TopicProgressAdmin(ReadOnlyAdmin):
    """Topics (without questions) learners marked as read; answers are under Attempts."""

    course_path = "topic__course"
    list_display = ["learner", "topic", "read_at"]
    list_filter = [("topic", admin.RelatedOnlyFieldListFilter), "read_at"]
    list_select_related = ["learner__user", "topic"]
    search_fields = ["learner__user__username"]
