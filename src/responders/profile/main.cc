// userdesk-profile: view and edit the Okta profile, as a FastCGI responder.
#include "app/app.h"
#include "responders/profile/profile_handler.h"

int main() {
  userdesk::config::Requirements needs;
  needs.user_profile = true;  // ORG_URL, USER_PROFILE_TOKEN
  return userdesk::app::RunResponder("profile", needs, userdesk::responders::profile::MakeHandler);
}
