// userdesk-account: registration and password reset, as a FastCGI responder.
#include "account/account_handler.h"
#include "app/app.h"

int main() {
  userdesk::config::Requirements needs;
  needs.registration = true;  // ORG_URL, REGISTRATION_TOKEN
  return userdesk::app::RunResponder("account", needs, userdesk::account::MakeHandler);
}
