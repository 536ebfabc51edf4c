// Cross-site request forgery checks for state-changing form posts (OWASP ASVS 4.2.2): the
// request must come from our own pages (Origin, or Referer when a browser sends no Origin, is
// HOST_URL) and carry the session's CSRF secret in its "csrf" field. Either check alone has
// known gaps; together they are what we require of every form.
#pragma once

#include "app/app.h"

namespace userdesk::app {

// True when the Origin header (or, absent, the Referer) names HOST_URL. A request with neither
// is refused: every browser we support sends Origin on a POST.
bool SameOrigin(const App& app, const http::Request& request);

// kCsrfMismatch (403) unless the post is same-origin and its csrf field is session.csrf.
Status CheckFormPost(const App& app, const http::Request& request, const session::Session& session);

}  // namespace userdesk::app
