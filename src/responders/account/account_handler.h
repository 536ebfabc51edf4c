// The account responder: the pages for people who are not signed in yet.
//  - /register: the sign-up form; a valid one creates the Okta user (REGISTRATION_TOKEN,
//    activate=true) and sends the browser to sign in, the address filled in.
//  - /reset-password: asks for an address and always gives the same answer, at once, whether
//    or not an account has it; Okta's self-service recovery (no API token, the account left as
//    it is) runs in the background, at most once per address per
//    RESET_EMAIL_COOLDOWN_MINUTES (account/password_resets.h).
// Both forms carry a CSRF token that needs no session (app::FormTokens) and check the origin.
// Whatever goes wrong, the typed input comes back (never the password).
#pragma once

#include "app/app.h"

namespace userdesk::responders::account {

fcgi::Handler MakeHandler(const app::App& app);

}  // namespace userdesk::responders::account
