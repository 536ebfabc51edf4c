// Client authentication at /v1/token and /v1/revoke: client_secret_basic and client_secret_post
// (RFC 6749 §2.3.1), exactly one per request, as Okta requires (docs/okta-api.md §1.4).
#pragma once

#include <optional>
#include <string>

#include "mini_okta/store/store.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace userdesk::mini_okta::oidc {

struct ClientAuth {
  std::optional<OidcClient> client;  // set when authentication succeeded
  int status = 401;
  std::string error;
  std::string description;
  bool used_basic = false;  // the request carried an Authorization: Basic header
};

ClientAuth AuthenticateClient(const httplib::Request& req, const Store& store);
// The OAuth error for a failed ClientAuth, with WWW-Authenticate: Basic when Basic was tried
// (RFC 6749 §5.2: a 401 must name the scheme the client used).
void SendClientAuthError(httplib::Response& res, const ClientAuth& auth);

}  // namespace userdesk::mini_okta::oidc
