// Who may ask mini-okta for what, checked by the request pipeline before any route runs.
// mini-okta runs on developers' machines, where any web page the developer opens can make the
// browser send requests to it:
// - a page on another name that resolves to 127.0.0.1 (DNS rebinding) reaches mini-okta as
//   "its own" site, so every request must name mini-okta in its Host header (RFC 9110 §7.2);
// - a page on another origin can post forms, so the set-password and sign-in forms and the
//   admin endpoint refuse a foreign Origin (RFC 6454 §7), and the admin endpoint and the
//   management and Authn APIs take JSON bodies only, which no cross-site form or simple request
//   can send without a CORS preflight (as in Okta, which answers 415 E0000021 to another type).
// The accepted hosts and origins are docs/mini-okta.md's "Who may talk to mini-okta".
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "mini_okta/server/context.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace userdesk::mini_okta {

enum class Refusal {
  kNoHost,              // 400: no Host header, or more than one
  kForeignHost,         // 421: Host names another server (DNS rebinding)
  kForeignFormOrigin,   // 403: a form post from another origin, or from an opaque one ("null")
  kAdminNotLoopback,    // 403: /admin/* from a peer that is not on this machine
  kForeignAdminOrigin,  // 403: /admin/* with an Origin that is not mini-okta's own
  kAdminNotJson,        // 415: /admin/* write whose body is not application/json
  kApiBodyNotJson,      // 415: /api/* request with a body that is not application/json
};

class RequestGuard {
 public:
  // options must be resolved: the listen port and the base URL are known.
  explicit RequestGuard(const Options& options);

  // Why the request must not reach its route, or nullopt when it may.
  std::optional<Refusal> Check(const httplib::Request& req) const;
  // Answers a refused request: Okta's error object on API paths, an HTML page elsewhere.
  void Send(const httplib::Request& req, httplib::Response& res, Refusal refusal) const;

  // Host header values that name mini-okta (lower case).
  const std::set<std::string>& own_hosts() const { return hosts_; }
  // Origins (RFC 6454 serialization, lower case) of mini-okta's own pages.
  const std::set<std::string>& own_origins() const { return origins_; }

 private:
  bool IsOwnOrigin(std::string_view origin) const;
  std::optional<Refusal> CheckAdmin(const httplib::Request& req) const;

  std::string base_url_;
  std::set<std::string> hosts_;
  std::set<std::string> origins_;
};

}  // namespace userdesk::mini_okta
