// The dashboard responder: GET /dashboard shows the signed-in user's Okta profile as the
// tutorial does: "{firstName}'s Dashboard", then every attribute sorted by name, labelled in
// Start Case, empty ones left out.
#pragma once

#include "app/app.h"

namespace userdesk::responders::dashboard {

fcgi::Handler MakeHandler(const app::App& app);

}  // namespace userdesk::responders::dashboard
