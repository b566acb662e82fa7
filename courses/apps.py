from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses"

    def ready(self) -> None:
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from courses.content_cache import forget_seen_version
        from courses.models import Course

        def forget(**_) -> None:
            forget_seen_version()
            # Again once it is committed: a page read in between kept the old version.
            transaction.on_commit(forget_seen_version)

        # A course saved in this process names a new content version (every load saves each
        # of its courses; so does the admin): pages served by this process show the change
        # at once, not up to a second later.
        for signal in (post_save, post_delete):
            signal.connect(forget, sender=Course, weak=False, dispatch_uid=f"forget:{signal!r}")
