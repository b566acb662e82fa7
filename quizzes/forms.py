from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _


class AnswerForm(forms.Form):
    """The envelope of an answer; the choices themselves are checked by grading."""

    nonce = forms.RegexField(
        regex=r"^[0-9a-f]{8,32}$",
        error_messages={
            "required": _("This form is incomplete. Reload the page and try again."),
            "invalid": _("This form is damaged. Reload the page and try again."),
        },
    )

    version = forms.CharField(
        max_length=40,
        error_messages={"required": _("This form is incomplete. Reload the page and try again.")},
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.tokens = [t for t in (data.getlist("choice") if data is not None else []) if t][:20]


class SignupForm(UserCreationForm):
    """Django's user creation form: its password validators apply."""

    class Meta(UserCreationForm.Meta):
        fields = ("username",)

    def validate_password_for_user(self, user, password_field_name: str = "password1") -> None:  # noqa: S107 - a field's name
        """Report a weak password on the password field (Django puts it on the confirmation)."""
        super().validate_password_for_user(user, password_field_name)
