// userdesk-dashboard: the user's Okta profile at a glance, as a FastCGI responder.
#include "app/app.h"
#include "responders/dashboard/dashboard_handler.h"

int main() {
  userdesk::config::Requirements needs;
  needs.user_profile = true;  // ORG_URL, USER_PROFILE_TOKEN
  return userdesk::app::RunResponder("dashboard", needs,
                                     userdesk::responders::dashboard::MakeHandler);
}
