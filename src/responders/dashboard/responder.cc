// userdesk-dashboard: the user's Okta profile at a glance, as a FastCGI responder.
#include "app/app.h"
#include "responders/dashboard/dashboard_handler.h"
#include "responders/responders.h"

namespace userdesk::responders::dashboard {

int Run() {
  config::Requirements needs;
  needs.user_profile = true;  // ORG_URL, USER_PROFILE_TOKEN
  return app::RunResponder("dashboard", needs, MakeHandler);
}

}  // namespace userdesk::responders::dashboard
