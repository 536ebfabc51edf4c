// The home responder: "/" (the welcome page) and the app's 404 page for every path nginx sends
// here without a more specific location.
#pragma once

#include "app/app.h"

namespace userdesk::responders::home {

fcgi::Handler MakeHandler(const app::App& app);

}  // namespace userdesk::responders::home
