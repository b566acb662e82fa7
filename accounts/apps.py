from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Connects the login-failure receivers, whether or not the middleware is loaded.
        from accounts import throttle  # noqa: F401
