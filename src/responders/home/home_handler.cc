#include "responders/home/home_handler.h"

#include "app/error_page.h"
#include "app/guard.h"
#include "app/page.h"

namespace userdesk::responders::home {

fcgi::Handler MakeHandler(const app::App& app) {
  return [&app](const http::Request& request) -> http::Response {
    if (request.path != "/") {
      return app::ErrorResponse(app, MakeError(ErrorCode::kNotFound, "no route"), request);
    }
    if (request.method != "GET" && request.method != "HEAD") {
      return http::Response::MethodNotAllowed("GET, HEAD");
    }
    app::Visitor visitor = app::Identify(app, request);
    app::Page page;
    page.title = "Home";
    page.template_name = "home/index";
    page.data.set("signed_in", visitor.session.has_value());
    if (visitor.session) page.data.set("user_name", visitor.session->name);
    http::Response response = app::RenderPage(app, request, visitor.session, std::move(page));
    visitor.Finish(&response);
    return response;
  };
}

}  // namespace userdesk::responders::home
