#include "app/csrf.h"

#include "base/strings.h"
#include "crypto/hmac.h"
#include "crypto/random.h"
#include "metrics/events.h"

namespace userdesk::app {
namespace {

// Each refusal counted once, where it is decided (userdesk_csrf_refusals_total).
Error Refused(metrics::CsrfRefusal why, std::string detail) {
  metrics::CsrfRefused(why);
  return MakeError(ErrorCode::kCsrfMismatch, std::move(detail));
}

}  // namespace

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
    return Refused(metrics::CsrfRefusal::kOrigin, "form post from another origin (or none named)");
  }
  auto token = request.Form("csrf");
  if (!token || session.csrf.empty() || !crypto::ConstantTimeEquals(*token, session.csrf)) {
    return Refused(metrics::CsrfRefusal::kToken, "form csrf token missing or wrong");
  }
  return OkStatus();
}

FormTokens::FormTokens(const config::Config& config)
    : signer_("form", config.app_secret, config.app_secret_previous),
      https_(config.https()),
      // RFC 6265bis __Host-: only accepted with Secure, Path=/ and no Domain
      cookie_name_(config.https() ? "__Host-userdesk_form" : "userdesk_form") {}

// The cookie's payload is "<token>.<issued_at>": the token is base64url, so it has no dot.
std::optional<FormTokens::Stored> FormTokens::Read(const http::Request& request,
                                                   int64_t now) const {
  auto cookie = request.cookies.find(cookie_name_);
  if (cookie == request.cookies.end()) return std::nullopt;
  std::optional<std::string> payload = signer_.Verify(cookie_name_, cookie->second);
  if (!payload) return std::nullopt;
  size_t dot = payload->find('.');
  if (dot == 0 || dot == std::string::npos) return std::nullopt;
  Stored stored{payload->substr(0, dot), 0};
  std::optional<int64_t> issued_at =
      ParseInteger<int64_t>(std::string_view(*payload).substr(dot + 1));
  if (!issued_at) return std::nullopt;
  stored.issued_at = *issued_at;
  if (stored.issued_at > now + 60 || now - stored.issued_at >= kLifetimeSeconds) {
    return std::nullopt;
  }
  return stored;
}

FormTokens::Issued FormTokens::ForForm(const http::Request& request, int64_t now) const {
  if (auto stored = Read(request, now); stored && now - stored->issued_at < kLifetimeSeconds / 2) {
    return {stored->token, std::nullopt};
  }
  Issued issued{crypto::RandomToken(), http::SetCookie{}};
  http::SetCookie& cookie = *issued.cookie;
  cookie.name = cookie_name_;
  cookie.value = signer_.Sign(cookie_name_, issued.token + "." + std::to_string(now));
  cookie.max_age = kLifetimeSeconds;
  cookie.secure = https_;
  // our own pages post these forms; a visitor arriving from another site gets a new token
  cookie.same_site = http::SameSite::kStrict;
  return issued;
}

Status FormTokens::Check(const App& app, const http::Request& request, int64_t now) const {
  if (!SameOrigin(app, request)) {
    return Refused(metrics::CsrfRefusal::kOrigin, "form post from another origin (or none named)");
  }
  auto token = request.Form("csrf");
  std::optional<Stored> stored = Read(request, now);
  if (!token || !stored) {
    return Refused(metrics::CsrfRefusal::kToken,
                   token ? "form cookie missing, expired or not ours" : "form csrf field missing");
  }
  if (!crypto::ConstantTimeEquals(*token, stored->token)) {
    return Refused(metrics::CsrfRefusal::kToken, "form csrf field differs from its cookie");
  }
  return OkStatus();
}

}  // namespace userdesk::app
