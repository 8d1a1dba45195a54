"""Signing in, out and the password pages: outside the permission matrix (they hold no unit's record)."""


def register(matrix):
    reason = "signing in and out and the password pages: for the anonymous by design"
    for name in (
        "login",
        "logout",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    ):
        matrix.exempt(f"accounts:{name}", reason)
    # Changing one's own password: any signed-in user, no unit involved.
    matrix.read("accounts:password_change", perm=None)
    matrix.read("accounts:password_change_done", perm=None)
    # One's own API tokens: any signed-in user, no unit involved.
    matrix.read("accounts:tokens", perm=None)
    matrix.exempt(
        "accounts:token_revoke",
        "one's own token only, another user's answers 404 (accounts/tests/test_api_tokens.py)",
    )
    matrix.exempt(
        "accounts:otp_verify", "the second step of an administrator's sign-in (test_second_factor.py)"
    )
    matrix.exempt(
        "accounts:otp_enrol", "administrators only, others 403 (accounts/tests/test_second_factor.py)"
    )
