// Renders a page inside the shared layout (header with "Signed in as ..." or "Sign in").
#pragma once

#include <optional>
#include <string>

#include "app/app.h"

namespace userdesk::app {

struct Page {
  int status = 200;
  std::string title;          // <title> and the page heading
  std::string template_name;  // e.g. "home/index"
  view::mustache::data data{view::mustache::data::type::object};
  // The page's HTML rendered already (a cached render): then template_name and data are unused.
  std::optional<std::string> content;
  // Never stored by any cache, even for a visitor who is not signed in (a page holding a CSRF
  // token). Pages for a signed-in user are never stored anyway.
  bool no_store = false;
};

// The page's template inside the layout, as the HTML response with page.status. The one place a
// page gets its Cache-Control: "private, no-store" whenever a session is shown (the header's
// name and sign-out form carry the user's name and CSRF token) or page.no_store says so, else
// "no-cache". RenderPage and ErrorResponse both answer through it, so no page can forget.
Result<http::Response> RenderInLayout(const App& app,
                                      const std::optional<session::Session>& session,
                                      const Page& page);

// The page's own template rendered, without the layout: what a render cache keeps as a page's
// content. nullopt when it fails (RenderPage, rendering it again, then answers with the 500 page).
std::optional<std::string> RenderContent(const App& app, const Page& page);

// The page's template, then the layout around it. A render failure becomes the 500 page.
http::Response RenderPage(const App& app, const http::Request& request,
                          const std::optional<session::Session>& session, Page page);

}  // namespace userdesk::app
