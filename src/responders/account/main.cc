// userdesk-account: registration and password reset, as a FastCGI responder.
#include "account/account_handler.h"
#include "app/app.h"

int main() {
  userdesk::config::Requirements needs;
  needs.registration = true;  // ORG_URL, REGISTRATION_TOKEN: creating users
  needs.user_profile = true;  // USER_PROFILE_TOKEN: the reset (look the user up, reset_password)
  return userdesk::app::RunResponder("account", needs, userdesk::account::MakeHandler);
}
