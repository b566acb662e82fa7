from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Knowledge checks"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        # Connects the login-failure receivers, whether or not the middleware is loaded.
        from quizzes import throttle  # noqa: F401
        from quizzes.learners import adopt_visitor_learner
        from quizzes.visitors import reset_visitor

        def merge_on_login(sender, request, user, **kwargs):
            if request is not None:
                # The login and sign-up views read it to say where the progress went.
                request.carried_progress = adopt_visitor_learner(request, user)

        def new_identity_on_logout(sender, request, **kwargs):
            if request is not None:
                reset_visitor(request)

        user_logged_in.connect(merge_on_login, dispatch_uid="quizzes.merge_on_login", weak=False)
        user_logged_out.connect(
            new_identity_on_logout, dispatch_uid="quizzes.new_identity_on_logout", weak=False
        )
