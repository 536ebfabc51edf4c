// userdesk-auth: sign-in and sign-out, as a FastCGI responder under spawn-fcgi.
#include "app/app.h"
#include "responders/auth/auth_handler.h"
#include "responders/responders.h"

namespace userdesk::responders::auth {

int Run() {
  config::Requirements needs;
  needs.okta_client = true;  // ORG_URL (or ISSUER), CLIENT_ID, CLIENT_SECRET
  return app::RunResponder("auth", needs, [](const app::App& app) { return MakeHandler(app); });
}

}  // namespace userdesk::responders::auth
