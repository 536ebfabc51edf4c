#include "mini_okta/routes.h"
namespace userdesk::mini_okta {
void RegisterUserRoutes(httplib::Server&, Context&) {}
void RegisterLifecycleRoutes(httplib::Server&, Context&) {}
void RegisterSchemaRoutes(httplib::Server&, Context&) {}
void RegisterOutboxRoutes(httplib::Server&, Context&) {}
void RegisterAdminRoutes(httplib::Server&, Context&) {}
}
