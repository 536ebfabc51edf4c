// The Security page, /security, signed in only: where the user is signed in (the session
// registry's records: device, address, signed in, last seen, "this browser"), with "Sign out"
// for any other session and "Sign out everywhere else". Part of the account responder.
#pragma once

#include "app/app.h"

namespace userdesk::responders::account {

fcgi::Handler MakeSecurityHandler(const app::App& app);

}  // namespace userdesk::responders::account
