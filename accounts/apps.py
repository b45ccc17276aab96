from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.sessions import stamp_password_entry

        # a sign-in is a password typed just now: the re-authentication window and the idle clock start here
        user_logged_in.connect(stamp_password_entry, dispatch_uid="accounts.stamp_password_entry")
