// userdesk-profile: view and edit the Okta profile, as a FastCGI responder.
#include "app/app.h"
#include "responders/profile/profile_handler.h"
#include "responders/responders.h"

namespace userdesk::responders::profile {

int Run() {
  config::Requirements needs;
  needs.user_profile = true;  // ORG_URL, USER_PROFILE_TOKEN
  return app::RunResponder("profile", needs, MakeHandler);
}

}  // namespace userdesk::responders::profile
