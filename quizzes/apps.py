from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Knowledge checks"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from quizzes.learners import adopt_session_learner

        def merge_on_login(sender, request, user, **kwargs):
            if request is not None:
                adopt_session_learner(request, user)

        user_logged_in.connect(merge_on_login, dispatch_uid="quizzes.merge_on_login", weak=False)
