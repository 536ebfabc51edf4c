// POST /admin/backchannel-logout: mini-okta's extension, not an Okta API. It sends one logout
// token of OpenID Connect Back-Channel Logout 1.0 (§2.4, §2.5) to a client's registered
// backchannel_logout_uri, as a provider does when a sign-in session ends, and reports what the
// client answered. It is how the tests drive a relying party's back-channel logout and how a
// person tries it locally (docs/mini-okta.md, "Back-channel logout"). It only sends: mini-okta's
// own sign-in sessions are left as they are (DELETE /api/v1/users/{id}/sessions ends those).
//
// The body (JSON; who may call /admin/* is request_guard's):
//   clientId             required: the client to notify (its aud)
//   userId, sid          at least one: the sub and sid claims (a sid is an ID token's sid)
//   authorizationServer  "default" (the default) or "org": whose issuer signs
//   flaw                 optional: a fault, for testing that the client refuses the token
// Answer 200: {"delivered", "status", "body" (the client's, at most 1000 bytes) or "error",
// "jti", "logoutToken"}.
#include <httplib.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "crypto/base64url.h"
#include "http/cgi_parse.h"
#include "http/http_client.h"
#include "json/json.h"
#include "mini_okta/management/common.h"
#include "mini_okta/oidc/routes.h"
#include "mini_okta/store/ids.h"

namespace userdesk::mini_okta::oidc {
namespace {

constexpr char kPath[] = "/admin/backchannel-logout";
constexpr char kLogoutEvent[] = "http://schemas.openid.net/event/backchannel-logout";
// §2.4 encourages short-lived logout tokens: two minutes at most
constexpr int64_t kLogoutTokenLifetimeSeconds = 120;
constexpr size_t kMaxReportedBodyBytes = 1000;

// The faults a test can ask for: each makes a token that Back-Channel Logout 1.0 §2.6 (or the
// JWS rules under it) tells the client to refuse.
enum class Flaw {
  kNone,
  kBadSignature,    // the signature of another content
  kAlgNone,         // an unsecured JWS: {"alg":"none"} and an empty signature
  kWrongIssuer,     // signed by our keys, with the other authorization server's iss
  kWrongAudience,   // aud another client
  kNoEvents,        // no events claim
  kWrongEvent,      // events without the back-channel-logout member
  kWithNonce,       // a nonce, as an ID token has
  kNoSubject,       // neither sub nor sid
  kNoJti,           // no jti
  kExpired,         // iat and exp ten minutes ago
  kIssuedInFuture,  // iat ten minutes ahead
  kWrongType,       // typ JWT instead of logout+jwt
};

const std::vector<std::pair<std::string_view, Flaw>> kFlaws = {
    {"badSignature", Flaw::kBadSignature},
    {"algNone", Flaw::kAlgNone},
    {"wrongIssuer", Flaw::kWrongIssuer},
    {"wrongAudience", Flaw::kWrongAudience},
    {"noEvents", Flaw::kNoEvents},
    {"wrongEvent", Flaw::kWrongEvent},
    {"withNonce", Flaw::kWithNonce},
    {"noSubject", Flaw::kNoSubject},
    {"noJti", Flaw::kNoJti},
    {"expired", Flaw::kExpired},
    {"issuedInFuture", Flaw::kIssuedInFuture},
    {"wrongType", Flaw::kWrongType},
};

struct Ask {
  std::string client_id;
  std::string user_id;
  std::string sid;
  AuthServer server{false};  // the custom server "default" unless asked otherwise
  Flaw flaw = Flaw::kNone;
};

// A string member that may be absent ("" then); false when it is present but not a string.
bool OptionalString(const json::Value& body, std::string_view name, std::string* out) {
  if (json::Member(body, name) == nullptr) return true;
  std::optional<std::string> value = json::GetString(body, name);
  if (!value) return false;
  *out = std::move(*value);
  return true;
}

OktaError Invalid(std::string_view field, std::string_view why) {
  return ValidationFailed(field, {std::string(field) + ": " + std::string(why)});
}

std::optional<OktaError> ReadAsk(const json::Value& body, Ask* ask) {
  if (!OptionalString(body, "clientId", &ask->client_id) || ask->client_id.empty()) {
    return Invalid("clientId", "The field cannot be left blank");
  }
  if (!OptionalString(body, "userId", &ask->user_id)) return Invalid("userId", "not a string");
  if (!OptionalString(body, "sid", &ask->sid)) return Invalid("sid", "not a string");
  if (ask->user_id.empty() && ask->sid.empty()) {
    return Invalid("userId", "userId or sid is required");
  }
  std::string server = "default";
  if (!OptionalString(body, "authorizationServer", &server) ||
      (server != "default" && server != "org")) {
    return Invalid("authorizationServer", "must be default or org");
  }
  ask->server = AuthServer{server == "org"};
  std::string flaw;
  if (!OptionalString(body, "flaw", &flaw)) return Invalid("flaw", "not a string");
  if (!flaw.empty()) {
    auto known = std::find_if(kFlaws.begin(), kFlaws.end(),
                              [&](const auto& entry) { return entry.first == flaw; });
    if (known == kFlaws.end()) return Invalid("flaw", "not a known flaw");
    ask->flaw = known->second;
  }
  return std::nullopt;
}

// §2.4's claims, with the fault asked for.
std::string Payload(const OidcState& state, const Ask& ask, const std::string& jti) {
  json::Document c(rapidjson::kObjectType);
  auto& a = c.GetAllocator();
  AuthServer issuer_server = ask.server;
  if (ask.flaw == Flaw::kWrongIssuer) issuer_server = AuthServer{!ask.server.org};
  c.AddMember("iss", json::Str(issuer_server.Issuer(state.ctx), a), a);
  std::string aud = ask.flaw == Flaw::kWrongAudience ? "0oaNotThisClient0001" : ask.client_id;
  c.AddMember("aud", json::Str(aud, a), a);
  int64_t iat = state.NowSeconds();
  if (ask.flaw == Flaw::kExpired) iat -= 600;
  if (ask.flaw == Flaw::kIssuedInFuture) iat += 600;
  c.AddMember("iat", iat, a);
  c.AddMember("exp", iat + kLogoutTokenLifetimeSeconds, a);
  if (ask.flaw != Flaw::kNoJti) c.AddMember("jti", json::Str(jti, a), a);
  if (ask.flaw != Flaw::kNoEvents) {
    json::Value events(rapidjson::kObjectType);
    std::string event =
        ask.flaw == Flaw::kWrongEvent ? "http://schemas.openid.net/event/other" : kLogoutEvent;
    events.AddMember(json::Str(event, a), json::Value(rapidjson::kObjectType), a);
    c.AddMember("events", events, a);
  }
  if (ask.flaw != Flaw::kNoSubject) {
    if (!ask.user_id.empty()) c.AddMember("sub", json::Str(ask.user_id, a), a);
    if (!ask.sid.empty()) c.AddMember("sid", json::Str(ask.sid, a), a);
  }
  if (ask.flaw == Flaw::kWithNonce) c.AddMember("nonce", json::Str(RandomAlphanumeric(16), a), a);
  return json::Write(c);
}

// The token signed with the current key (typ logout+jwt, §2.4), or made wrong as asked.
Result<std::string> Mint(const OidcState& state, const Ask& ask, const std::string& payload) {
  if (ask.flaw == Flaw::kAlgNone) {
    return crypto::Base64UrlEncode(R"({"alg":"none","typ":"logout+jwt"})") + "." +
           crypto::Base64UrlEncode(payload) + ".";
  }
  auto token = state.keys->Sign(payload, ask.flaw == Flaw::kWrongType ? "JWT" : "logout+jwt");
  if (!token || ask.flaw != Flaw::kBadSignature) return token;
  size_t dot = token->rfind('.');
  std::optional<std::string> signature = crypto::Base64UrlDecode(token->substr(dot + 1));
  if (!signature || signature->empty()) return MakeError(ErrorCode::kInternal, "no signature");
  (*signature)[0] = static_cast<char>((*signature)[0] ^ 0x01);
  return token->substr(0, dot + 1) + crypto::Base64UrlEncode(*signature);
}

// §2.5: a form-encoded POST of logout_token; redirects are not followed. The connection is not
// kept: deliveries are rare, and each request thread would otherwise hold one open to the client.
json::Document Deliver(const std::string& uri, const std::string& token, const std::string& jti) {
  http::OutgoingRequest request;
  request.method = "POST";
  request.url = uri;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"},
                     {"Connection", "close"}};
  request.body = "logout_token=" + http::FormUrlEncode(token);
  http::ClientOptions options;
  options.component = "mini-okta";
  Result<http::IncomingResponse> answer = http::Fetch(request, options);

  json::Document out(rapidjson::kObjectType);
  auto& a = out.GetAllocator();
  out.AddMember("delivered", answer.ok(), a);
  if (answer.ok()) {
    out.AddMember("status", static_cast<int>(answer->status), a);
    std::string body = answer->body.substr(0, kMaxReportedBodyBytes);
    out.AddMember("body", json::Str(body, a), a);
  } else {
    out.AddMember("error", json::Str(answer.error().detail, a), a);
  }
  out.AddMember("jti", json::Str(jti, a), a);
  out.AddMember("logoutToken", json::Str(token, a), a);
  return out;
}

void HandleBackChannelLogout(const OidcState& state, const httplib::Request& req,
                             httplib::Response& res) {
  auto body = ReadJsonBody(req, res);
  if (!body) return;
  Ask ask;
  if (auto problem = ReadAsk(*body, &ask)) return SendOktaError(res, *problem);
  std::optional<OidcClient> client = state.ctx.store->clients().Find(ask.client_id);
  if (!client) return SendOktaError(res, ResourceNotFound(ask.client_id + " (Client)"));
  const std::string& uri = client->backchannel_logout_uri;
  if (uri.rfind("http://", 0) != 0 && uri.rfind("https://", 0) != 0) {
    return SendOktaError(res,
                         Invalid("clientId", "the client has no http(s) backchannel_logout_uri"));
  }
  if (state.keys == nullptr) return SendOktaError(res, ServerError(503));
  std::string jti = "BCL." + RandomAlphanumeric(32);
  auto token = Mint(state, ask, Payload(state, ask, jti));
  if (!token) return SendOktaError(res, ServerError(500));
  SendJson(res, 200, Deliver(uri, *token, jti));
}

}  // namespace

void RegisterBackChannelLogoutRoutes(httplib::Server& server, const StatePtr& state) {
  server.Post(kPath, [state](const httplib::Request& req, httplib::Response& res) {
    HandleBackChannelLogout(*state, req, res);
  });
}

}  // namespace userdesk::mini_okta::oidc
