// Cross-site request forgery checks for state-changing form posts (OWASP ASVS 4.2.2): the
// request must come from our own pages (Origin, or Referer when a browser sends no Origin, is
// HOST_URL) and carry the session's CSRF secret in its "csrf" field. Either check alone has
// known gaps; together they are what we require of every form.
//
// Forms shown before anyone is signed in (register, reset password) have no session to hold the
// secret, so FormTokens keeps it in a signed double-submit cookie instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/app.h"

namespace userdesk::app {

// True when the Origin header (or, absent, the Referer) names HOST_URL. A request with neither
// is refused: every browser we support sends Origin on a POST.
bool SameOrigin(const App& app, const http::Request& request);

// kCsrfMismatch (403) unless the post is same-origin and its csrf field is session.csrf.
Status CheckFormPost(const App& app, const http::Request& request, const session::Session& session);

// The CSRF token of forms without a session (OWASP's signed double-submit cookie): a random
// token goes both into the form's "csrf" field and into a cookie signed with APP_SECRET
// (purpose "form", so no other cookie of ours verifies as one). A post must be same-origin and
// carry in its field the token of an intact, unexpired cookie. A page on another site can
// neither read our cookie nor sign one of its own, so it cannot make a matching pair.
class FormTokens {
 public:
  explicit FormTokens(const config::Config& config);

  struct Issued {
    std::string token;                      // for the form's hidden csrf field
    std::optional<http::SetCookie> cookie;  // set when the browser needs a new one
  };

  // The browser's token while its cookie is less than half its lifetime old (so forms open in
  // other tabs keep working), else a new token with its cookie.
  Issued ForForm(const http::Request& request, int64_t now) const;

  // kCsrfMismatch (403) unless the post is same-origin and its csrf field is the cookie's token.
  Status Check(const App& app, const http::Request& request, int64_t now) const;

  // A token lives a day: long enough for a form left open, short enough to age out.
  static constexpr int64_t kLifetimeSeconds = 24 * 60 * 60;

 private:
  struct Stored {
    std::string token;
    int64_t issued_at = 0;
  };
  std::optional<Stored> Read(const http::Request& request, int64_t now) const;

  session::SignedCookieCodec signer_;
  bool https_;
  std::string cookie_name_;
};

}  // namespace userdesk::app
