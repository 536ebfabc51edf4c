#include "mini_okta/oidc/client_auth.h"

#include <httplib.h>

#include "crypto/base64url.h"
#include "crypto/hmac.h"
#include "http/cgi_parse.h"
#include "mini_okta/oidc/common.h"
#include "mini_okta/server/request_params.h"

namespace userdesk::mini_okta::oidc {
namespace {

struct Credentials {
  std::string client_id;
  std::string client_secret;
};

ClientAuth Failure(int status, std::string error, std::string description, bool basic) {
  ClientAuth auth;
  auth.status = status;
  auth.error = std::move(error);
  auth.description = std::move(description);
  auth.used_basic = basic;
  return auth;
}

bool HasBasicHeader(const httplib::Request& req) {
  std::string header = req.get_header_value("Authorization");
  return header.size() > 6 &&
         (header.compare(0, 6, "Basic ") == 0 || header.compare(0, 6, "basic ") == 0);
}

// RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined with ':'.
std::optional<Credentials> DecodeBasic(const httplib::Request& req) {
  auto decoded = crypto::Base64Decode(req.get_header_value("Authorization").substr(6));
  if (!decoded) return std::nullopt;
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  std::string id = http::FormUrlDecode(std::string_view(*decoded).substr(0, colon));
  std::string secret = http::FormUrlDecode(std::string_view(*decoded).substr(colon + 1));
  if (id.empty()) return std::nullopt;
  return Credentials{id, secret};
}

ClientAuth CheckSecret(const Store& store, const Credentials& creds, bool basic) {
  std::optional<OidcClient> client = store.clients().Find(creds.client_id);
  if (!client) {
    return Failure(401, "invalid_client",
                   "Client authentication failed. Either the client or the client credentials "
                   "are invalid.",
                   basic);
  }
  if (!crypto::ConstantTimeEquals(client->client_secret, creds.client_secret)) {
    return Failure(401, "invalid_client",
                   "The client secret supplied for a confidential client is invalid.", basic);
  }
  ClientAuth auth;
  auth.client = std::move(client);
  auth.status = 200;
  auth.used_basic = basic;
  return auth;
}

}  // namespace

ClientAuth AuthenticateClient(const httplib::Request& req, const Store& store) {
  bool basic = HasBasicHeader(req);
  bool post = HasParam(req, "client_secret");
  // docs/okta-api.md §1.4: one method per request; both at once is invalid_request.
  if (basic && post) {
    return Failure(400, "invalid_request",
                   "Cannot supply multiple client credentials. Use one of the following: "
                   "credentials in the Authorization header, credentials in the post body, or a "
                   "client_assertion in the post body.",
                   basic);
  }
  if (HasParam(req, "client_assertion")) {
    return Failure(401, "invalid_client",
                   "The client_assertion authentication method is not supported by mini-okta.",
                   basic);
  }
  if (basic) {
    std::optional<Credentials> creds = DecodeBasic(req);
    if (!creds)
      return Failure(400, "invalid_request", "The client credentials are malformed.", true);
    if (HasParam(req, "client_id") && Param(req, "client_id") != creds->client_id) {
      return Failure(400, "invalid_request",
                     "The client_id in the post body does not match the Authorization header.",
                     true);
    }
    return CheckSecret(store, *creds, true);
  }
  if (post)
    return CheckSecret(store, {Param(req, "client_id"), Param(req, "client_secret")}, false);
  return Failure(401, "invalid_client", "No client credentials found.", false);
}

void SendClientAuthError(httplib::Response& res, const ClientAuth& auth) {
  if (auth.status == 401 && auth.used_basic) {
    res.set_header("WWW-Authenticate", "Basic realm=\"okta\"");
  }
  SendOAuthError(res, auth.status, auth.error, auth.description);
}

}  // namespace userdesk::mini_okta::oidc
