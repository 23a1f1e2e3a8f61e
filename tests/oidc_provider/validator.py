"""The claims the test provider puts in its ID tokens."""

import os
from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    oidc_claim_scope = None  # every claim, whatever the scopes

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "name": user.get_full_name(),
            "preferred_username": user.username,
            "email": user.email,
            "email_verified": os.environ.get("OIDC_EMAIL_VERIFIED", "1") == "1",
        }
