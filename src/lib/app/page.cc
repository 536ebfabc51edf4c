#include "app/page.h"

#include "app/error_page.h"

namespace userdesk::app {

namespace mustache = view::mustache;

Result<http::Response> RenderInLayout(const App& app,
                                      const std::optional<session::Session>& session,
                                      const Page& page) {
  std::string rendered;
  if (!page.content) {
    auto content = app.templates.Render(page.template_name, page.data);
    if (!content) return content.error();
    rendered = std::move(*content);
  }
  // already-escaped HTML, for the layout's one {{{content}}}
  std::string_view body = page.content ? std::string_view(*page.content) : rendered;
  mustache::data layout{mustache::data::type::object};
  layout.set("title", page.title);
  if (session) {
    layout.set("signed_in", true);
    layout.set("user_name", session->name.empty() ? std::string("your profile") : session->name);
    layout.set("csrf", session->csrf);  // the header's sign-out form
  } else {
    layout.set("signed_in", false);
  }
  auto html = app.templates.RenderAround("layout", layout, body);
  if (!html) return html.error();
  http::Response r = http::Response::Html(page.status, std::move(*html));
  // personalised pages must never be stored by any cache, shared or the browser's
  r.Header("Cache-Control", session || page.no_store ? "private, no-store" : "no-cache");
  return r;
}

std::optional<std::string> RenderContent(const App& app, const Page& page) {
  auto rendered = app.templates.Render(page.template_name, page.data);
  if (!rendered) return std::nullopt;
  return std::move(*rendered);
}

http::Response RenderPage(const App& app, const http::Request& request,
                          const std::optional<session::Session>& session, Page page) {
  auto response = RenderInLayout(app, session, page);
  if (!response) return ErrorResponse(app, response.error(), request);
  return std::move(*response);
}

}  // namespace userdesk::app
