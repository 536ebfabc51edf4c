// userdesk-account: registration, password reset and the Security page, as a FastCGI responder.
#include "app/app.h"
#include "responders/account/account_handler.h"

int main() {
  userdesk::config::Requirements needs;
  needs.registration = true;  // ORG_URL, REGISTRATION_TOKEN: creating users
  // no USER_PROFILE_TOKEN: the reset is Okta's self-service recovery, which takes no token
  return userdesk::app::RunResponder("account", needs, userdesk::responders::account::MakeHandler);
}
