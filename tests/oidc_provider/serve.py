"""Start the test OpenID Connect provider: migrate, register the client and user, serve.

Run as `python -m tests.oidc_provider.serve PORT` with OIDC_TEST_DIR (holding key.pem),
OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI and OIDC_PASSWORD set.
"""

import os
import sys

import django


def main() -> None:
    port = int(sys.argv[1])
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    user = User.objects.create_user(
        "ana",
        email="ana@example.org",
        password=os.environ["OIDC_PASSWORD"],
        first_name="Ana",
        last_name="Lima",
    )
    for suffix in ("", "_2"):
        Application.objects.create(
            name=f"Rejoinder{suffix}",
            user=user,
            client_id=os.environ["OIDC_CLIENT_ID"] + suffix,
            client_secret=os.environ["OIDC_CLIENT_SECRET"],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=os.environ["OIDC_REDIRECT_URI"],
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=False,
        )
    run("127.0.0.1", port, get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main()
