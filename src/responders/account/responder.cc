// userdesk-account: registration, password reset and the Security page, as a FastCGI responder.
#include "app/app.h"
#include "responders/account/account_handler.h"
#include "responders/responders.h"

namespace userdesk::responders::account {

int Run() {
  config::Requirements needs;
  needs.registration = true;  // ORG_URL, REGISTRATION_TOKEN: creating users
  // USER_PROFILE_TOKEN is optional: the reset is Okta's self-service recovery, which takes no
  // token; the Security page's password change and "Sign out everywhere" (Okta's sessions too)
  // use it when the .env has it, as the tutorial's does
  return app::RunResponder("account", needs, MakeHandler);
}

}  // namespace userdesk::responders::account
