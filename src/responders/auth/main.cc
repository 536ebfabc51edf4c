// userdesk-auth: sign-in and sign-out, as a FastCGI responder under spawn-fcgi.
#include "app/app.h"
#include "responders/auth/auth_handler.h"

int main() {
  userdesk::config::Requirements needs;
  needs.okta_client = true;  // ORG_URL (or ISSUER), CLIENT_ID, CLIENT_SECRET
  return userdesk::app::RunResponder("auth", needs, [](const userdesk::app::App& app) {
    return userdesk::responders::auth::MakeHandler(app);
  });
}
