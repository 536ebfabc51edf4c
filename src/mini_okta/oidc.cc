#include "mini_okta/oidc.h"

#include <httplib.h>

#include "mini_okta/context.h"

namespace userdesk::mini_okta {

void RegisterOidcRoutes(httplib::Server& server, Context& ctx) {
  (void)server;
  (void)ctx;
}

}  // namespace userdesk::mini_okta
