// The profile responder: GET /profile shows the form of editable attributes (profile_form.h)
// filled from the user's Okta profile; POST /profile checks the CSRF token and origin,
// validates, saves only what changed (Okta's partial update) and redirects back with "Saved"
// (Post/Redirect/Get). Whatever goes wrong, the user's typed input comes back in the form.
#pragma once

#include "app/app.h"

namespace userdesk::responders::profile {

fcgi::Handler MakeHandler(const app::App& app);

}  // namespace userdesk::responders::profile
