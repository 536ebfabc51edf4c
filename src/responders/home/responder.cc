// userdesk-home: the home page and the 404 page, as a FastCGI responder under spawn-fcgi.
#include "app/app.h"
#include "responders/home/home_handler.h"
#include "responders/responders.h"

namespace userdesk::responders::home {

int Run() { return app::RunResponder("home", config::Requirements{}, MakeHandler); }

}  // namespace userdesk::responders::home
