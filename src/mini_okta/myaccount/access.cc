#include "mini_okta/myaccount/access.h"

#include <httplib.h>

#include <string_view>

#include "base/strings.h"
#include "mini_okta/management/okta_error.h"
#include "mini_okta/oidc/common.h"

namespace userdesk::mini_okta::myaccount {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    out.push_back(Trim(s.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

// RFC 9110 §12.5.1: media-range *( OWS ";" OWS parameter ); names compare without case.
bool RangeAcceptsVersion(std::string_view range) {
  std::vector<std::string_view> parts = Split(range, ';');
  std::string type = AsciiLower(parts.front());
  if (type != "application/json" && type != "application/*" && type != "*/*") return false;
  for (size_t i = 1; i < parts.size(); i++) {
    size_t eq = parts[i].find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view value = Trim(parts[i].substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (AsciiLower(Trim(parts[i].substr(0, eq))) == "okta-version" && value == kVersion) {
      return true;
    }
  }
  return false;
}

// RFC 6750 §3, worded as Okta's resource servers word it: the org server's authorize endpoint
// and realm, and for a refused token the error, its description and the resource asked for.
void Challenge(const oidc::OidcState& state, const httplib::Request& req, httplib::Response& res,
               const std::string& extra) {
  oidc::AuthServer org{true};
  res.set_header("WWW-Authenticate", "Bearer authorization_uri=\"" +
                                         org.Endpoint(state.ctx, "authorize") + "\", realm=\"" +
                                         org.Issuer(state.ctx) + "\"" + extra +
                                         (extra.empty() ? "" : ", resource=\"" + req.path + "\""));
}

void Refuse(httplib::Response& res, const OktaError& error) {
  oidc::SetNoStore(res);
  SendOktaError(res, error);
}

OktaError NotAcceptable() {
  return {406,
          "E0000021",
          "Bad request.  Accept and/or Content-Type headers likely do not match supported values.",
          {std::string("Accept: must name okta-version=") + kVersion}};
}

OktaError NoPermission() {
  return {403, "E0000006", "You do not have permission to perform the requested action", {}};
}

}  // namespace

bool AcceptsVersion(const std::string& accept) {
  for (std::string_view range : Split(accept, ',')) {
    if (RangeAcceptsVersion(range)) return true;
  }
  return false;
}

std::optional<Caller> Authorize(const oidc::OidcState& state, const httplib::Request& req,
                                httplib::Response& res,
                                const std::vector<std::string>& any_of_scopes) {
  std::string header = req.get_header_value("Authorization");
  // RFC 6750 §2.1; the scheme name is case-insensitive (RFC 9110 §11.1)
  if (header.size() <= 7 || AsciiLower(header.substr(0, 7)) != "bearer ") {
    Challenge(state, req, res, "");
    Refuse(res, InvalidToken());
    return std::nullopt;
  }
  auto claims = oidc::VerifyAccessToken(state, oidc::AuthServer{true}, header.substr(7));
  std::optional<UserRecord> user;
  if (claims) user = state.ctx.store->users().Find(claims->uid);
  if (!claims || !user || user->status != "ACTIVE") {
    Challenge(state, req, res,
              ", error=\"invalid_token\", error_description=\"The access token is invalid.\"");
    Refuse(res, InvalidToken());
    return std::nullopt;
  }
  if (!AcceptsVersion(req.get_header_value("Accept"))) {
    Refuse(res, NotAcceptable());
    return std::nullopt;
  }
  bool allowed = false;
  for (const std::string& scope : any_of_scopes)
    allowed = allowed || oidc::Contains(claims->scopes, scope);
  if (!allowed) {
    Challenge(state, req, res,
              ", scope=\"" + any_of_scopes.front() +
                  "\", error=\"insufficient_scope\", error_description=\"The access token provided "
                  "does not contain the required scopes.\"");
    Refuse(res, NoPermission());
    return std::nullopt;
  }
  return Caller{std::move(*claims), std::move(*user)};
}

}  // namespace userdesk::mini_okta::myaccount
