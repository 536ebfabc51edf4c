#include "mini_okta/server/request_guard.h"

#include <httplib.h>

#include <vector>

#include "base/strings.h"
#include "mini_okta/management/okta_error.h"
#include "mini_okta/oidc/signin_page.h"
#include "mini_okta/server/html.h"

namespace userdesk::mini_okta {
namespace {

// The names a developer's own tools use for this machine (RFC 6761 §6.3, RFC 4291 §2.5.3).
const std::vector<std::string> kLoopbackNames = {"localhost", "127.0.0.1", "[::1]"};

struct Authority {
  std::string scheme;  // "http" or "https"
  std::string host;    // lower case; an IPv6 literal keeps its brackets
  std::string port;    // "" when the URL names none
};

// scheme://host[:port] of a URL such as the base URL ("https://id.example.test/okta").
Authority ParseAuthority(std::string_view url) {
  Authority a;
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) return a;
  a.scheme = AsciiLower(url.substr(0, sep));
  std::string_view rest = url.substr(sep + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && rest.find(']', colon) == std::string_view::npos) {
    a.port = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
  }
  a.host = AsciiLower(rest);
  return a;
}

std::string DefaultPort(const std::string& scheme) { return scheme == "https" ? "443" : "80"; }

// The Host values that name host on port for scheme: "host:port", and the bare host too when
// the port is the scheme's default (clients leave it out, RFC 9110 §7.2).
std::vector<std::string> HostSpellings(const std::string& scheme, const std::string& host,
                                       const std::string& port) {
  std::vector<std::string> out = {host + ":" + port};
  if (port == DefaultPort(scheme)) out.push_back(host);
  return out;
}

bool IsLoopbackPeer(const std::string& addr) {
  return addr == "::1" || addr.starts_with("127.") || addr.starts_with("::ffff:127.");
}

// The POST endpoints behind mini-okta's own HTML forms. /v1/authorize and /v1/logout also take
// form posts, but from relying parties' pages on other origins by design (OpenID Connect Core
// §3.1.2.1, RP-Initiated Logout §2), so they are not listed.
bool IsOwnFormPost(const httplib::Request& req) {
  if (req.method != "POST") return false;
  if (req.path == oidc::kSignInPath) return true;
  for (std::string_view prefix : {"/reset_password/", "/reset-password/", "/welcome/"}) {
    if (req.path.starts_with(prefix)) return true;
  }
  return false;
}

bool IsAdminPath(std::string_view path) { return path == "/admin" || path.starts_with("/admin/"); }

// Paths whose errors are JSON (the same rule the fault knobs follow); the rest get a page.
bool IsApiPath(std::string_view path) {
  return path.starts_with("/api/") || IsAdminPath(path) || path.starts_with("/oauth2/") ||
         path.starts_with("/.well-known/") || path.starts_with("/idp/");
}

// application/json, with or without parameters (RFC 8259 §11 defines none, but clients send
// "; charset=utf-8").
bool IsJsonContentType(std::string_view value) {
  std::string_view type = TrimSpace(value.substr(0, value.find(';')));
  return EqualsIgnoringCase(type, "application/json");
}

// Each refusal's status, API error and page: the one table for this file's answers.
struct RefusalText {
  OktaError api;
  std::string title;
  std::string page;  // plain text, escaped when the page is built
};

RefusalText TextFor(Refusal refusal, const std::string& base_url) {
  switch (refusal) {
    case Refusal::kNoHost:
      return {{400, "E0000020", "Bad request.", {"Host: exactly one Host header is required"}},
              "Bad request",
              "The request has no Host header, or more than one."};
    case Refusal::kForeignHost:
      return {{421,
               "E0000020",
               "Bad request.",
               {"Host: the request names another server; mini-okta answers at " + base_url}},
              "Wrong address",
              "This request was sent to mini-okta under another name. mini-okta answers only at " +
                  base_url + " and at localhost or 127.0.0.1 with its port."};
    case Refusal::kForeignFormOrigin:
      return {{403, "E0000006", "You do not have permission to perform the requested action", {}},
              "Form sent from another site",
              "This form was sent from another site, or from a page that hides where it comes "
              "from, so mini-okta did not act on it. Open the link again and send the form from "
              "mini-okta's own page."};
    case Refusal::kAdminNotLoopback:
    case Refusal::kForeignAdminOrigin:
      return {{403, "E0000006", "You do not have permission to perform the requested action", {}},
              "Forbidden",
              "The admin endpoint answers only programs on this machine."};
    case Refusal::kAdminNotJson:
    case Refusal::kApiBodyNotJson:
      return {{415,
               "E0000021",
               "Bad request.  Accept and/or Content-Type headers likely do not match supported "
               "values.",
               {"Content-Type: must be application/json"}},
              "Unsupported media type",
              "This endpoint takes application/json only."};
  }
  return {ServerError(500), "Error", "Internal error."};
}

}  // namespace

RequestGuard::RequestGuard(const Options& options) : base_url_(options.base_url) {
  Authority base = ParseAuthority(options.base_url);
  std::string base_port = base.port.empty() ? DefaultPort(base.scheme) : base.port;
  for (const std::string& host : HostSpellings(base.scheme, base.host, base_port)) {
    hosts_.insert(host);
    origins_.insert(base.scheme + "://" + host);
  }
  std::string port = std::to_string(options.port);
  for (const std::string& name : kLoopbackNames) {
    for (const std::string& host : HostSpellings("http", name, port)) {
      hosts_.insert(host);
      origins_.insert("http://" + host);
    }
  }
}

bool RequestGuard::IsOwnOrigin(std::string_view origin) const {
  return origins_.contains(AsciiLower(TrimSpace(origin)));
}

std::optional<Refusal> RequestGuard::CheckAdmin(const httplib::Request& req) const {
  if (!IsLoopbackPeer(req.remote_addr)) return Refusal::kAdminNotLoopback;
  // No Origin: a program (curl, a test), not a page. "null" is a page that hides its origin.
  if (req.has_header("Origin") && !IsOwnOrigin(req.get_header_value("Origin"))) {
    return Refusal::kForeignAdminOrigin;
  }
  bool writes = req.method != "GET" && req.method != "HEAD" && req.method != "OPTIONS";
  if (writes && !IsJsonContentType(req.get_header_value("Content-Type"))) {
    return Refusal::kAdminNotJson;
  }
  return std::nullopt;
}

std::optional<Refusal> RequestGuard::Check(const httplib::Request& req) const {
  // HTTP/1.1 requires exactly one Host (RFC 9112 §3.2); an HTTP/1.0 request without one cannot
  // say which server it meant either, so it is refused the same way.
  if (req.get_header_value_count("Host") != 1) return Refusal::kNoHost;
  if (!hosts_.contains(AsciiLower(TrimSpace(req.get_header_value("Host"))))) {
    return Refusal::kForeignHost;
  }
  if (IsAdminPath(req.path)) return CheckAdmin(req);
  // A body the JSON APIs would read must say it is JSON: a cross-site text/plain post to
  // /api/v1/authn/recovery/password would otherwise mail reset links at a stranger's bidding.
  // The guard runs before httplib reads the body, so the headers tell whether there is one.
  std::string length = req.get_header_value("Content-Length");
  bool has_body =
      length.find_first_not_of('0') != std::string::npos || req.has_header("Transfer-Encoding");
  if (req.path.starts_with("/api/") && has_body &&
      !IsJsonContentType(req.get_header_value("Content-Type"))) {
    return Refusal::kApiBodyNotJson;
  }
  // Every current browser sends Origin with a form post (Fetch standard, "append a request
  // Origin header"); a request without one comes from a program, which no page can drive.
  if (IsOwnFormPost(req) && req.has_header("Origin") &&
      !IsOwnOrigin(req.get_header_value("Origin"))) {
    return Refusal::kForeignFormOrigin;
  }
  return std::nullopt;
}

void RequestGuard::Send(const httplib::Request& req, httplib::Response& res,
                        Refusal refusal) const {
  RefusalText text = TextFor(refusal, base_url_);
  if (IsApiPath(req.path)) return SendOktaError(res, text.api);
  SendPage(res, text.api.status, text.title, "<p>" + HtmlEscape(text.page) + "</p>");
}

}  // namespace userdesk::mini_okta
