"""Routes of the accounts screens: signing up and in, passwords, members and invitations, the audit trail."""

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.views import audit, invitations, members, passwords, practice, signing

app_name = "accounts"

urlpatterns = [
    path("sign-in/", signing.SignInView.as_view(), name="sign-in"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
    path("sign-up/", signing.sign_up_page, name="sign-up"),
    path("password/", passwords.PasswordChange.as_view(), name="password-change"),
    path("password/reset/", passwords.PasswordReset.as_view(), name="password-reset"),
    path("password/reset/sent/", passwords.PasswordResetSent.as_view(), name="password-reset-sent"),
    path("password/reset/<uidb64>/<token>/", passwords.PasswordResetConfirm.as_view(), name="password-reset-confirm"),
    path("password/reset/done/", passwords.PasswordResetDone.as_view(), name="password-reset-done"),
    path("practices/new/", signing.new_practice, name="new-practice"),
    path("practices/switch/", signing.switch, name="switch"),
    path("practice/delete/", practice.delete_practice, name="delete-practice"),
    path("members/", members.members, name="members"),
    path("members/invite/", members.invite, name="invite"),
    path("members/<int:pk>/role/", members.member_role, name="member-role"),
    path("members/<int:pk>/remove/", members.member_remove_view, name="member-remove"),
    path("invitations/<int:pk>/send-again/", members.invitation_send_again, name="invitation-send-again"),
    path("invitations/<int:pk>/withdraw/", members.invitation_withdraw, name="invitation-withdraw"),
    path("join/<str:token>/", invitations.join, name="join"),
    path("audit/", audit.audit_trail, name="audit"),
]
