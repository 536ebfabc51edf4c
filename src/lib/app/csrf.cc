#include "app/csrf.h"

#include "crypto/hmac.h"

namespace userdesk::app {

bool SameOrigin(const App& app, const http::Request& request) {
  const std::string& ours = app.config.host_url;  // scheme://host[:port], no trailing slash
  if (auto origin = request.Header("origin")) return *origin == ours;
  if (auto referer = request.Header("referer")) {
    return referer->starts_with(ours + "/");
  }
  return false;
}

Status CheckFormPost(const App& app, const http::Request& request,
                     const session::Session& session) {
  if (!SameOrigin(app, request)) {
    return MakeError(ErrorCode::kCsrfMismatch, "form post from another origin (or none named)");
  }
  auto token = request.Form("csrf");
  if (!token || session.csrf.empty() || !crypto::ConstantTimeEquals(*token, session.csrf)) {
    return MakeError(ErrorCode::kCsrfMismatch, "form csrf token missing or wrong");
  }
  return OkStatus();
}

}  // namespace userdesk::app
