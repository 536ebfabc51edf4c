// The relying party's view of one OpenID provider: discovery (OpenID Connect Discovery 1.0 §4),
// its JWKS, the token endpoint (authorization-code grant with client_secret_basic and PKCE) and
// userinfo. Nothing here is Okta-specific. Discovery and keys are fetched lazily, cached as
// immutable snapshots and refetched with a backoff, so a responder starts while the provider is
// down and a dead or hostile provider cannot make every request wait or hammer it.
// It checks transport-level facts only; the ID token itself is oidc/id_token.h's job, and the
// caller must compare userinfo's sub with the ID token's (OpenID Connect Core §5.3.2).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "http/http_client.h"
#include "jose/jwk.h"
#include "json/json.h"

namespace userdesk::oidc {

struct ProviderMetadata {
  std::string issuer, authorization_endpoint, token_endpoint, jwks_uri, userinfo_endpoint;
  std::string end_session_endpoint;  // "" when the provider has none
  std::string revocation_endpoint;   // RFC 7009 (RFC 8414 §2), "" when the provider has none
};

struct TokenResponse {
  std::string id_token, access_token, token_type;
  int64_t expires_in = 0;     // 0 when the provider did not say
  std::string refresh_token;  // "" unless offline_access was granted (RFC 6749 §5.1)
  std::string scope;          // the granted scopes as the provider said them, "" when it did not
};

struct ProviderOptions {
  std::string issuer;  // must equal discovery's "issuer" exactly
  http::ClientOptions http;
  int64_t metadata_ttl_seconds = 3600;    // discovery re-read after this
  int64_t jwks_min_refetch_seconds = 60;  // an unknown kid triggers at most one refetch per this
  int64_t jwks_ttl_seconds = 3600;        // keys re-read after this even without an unknown kid,
                                          // so a key the provider withdrew stops being trusted
  std::function<int64_t()> now;           // monotonic seconds; default steady_clock (tests inject)
};

// What an endpoint answered to a question asked without a user, for a configuration check
// (userdesk-admin check): nothing is signed in, no token is issued, nothing is changed.
struct ProbeAnswer {
  long status = 0;          // the HTTP status
  std::string error;        // the OAuth error code (RFC 6749 §4.1.2.1, §5.2), "" when none
  std::string description;  // its error_description, cut to 200 bytes, "" when none
  bool redirected = false;  // authorize only: the answer sends the browser to the redirect_uri
};

// Reads and checks a discovery document (the checks Metadata applies): exported for tests.
Result<ProviderMetadata> ParseProviderMetadata(std::string_view body, const std::string& issuer);

// Seconds of backoff after a failed fetch: 1, doubling to this ceiling; a success resets it.
inline constexpr int64_t kMaxBackoffSeconds = 60;

class Provider {  // thread-safe; shared by all worker threads of a responder
 public:
  // Does no I/O: nothing is fetched before the first call that needs it.
  explicit Provider(ProviderOptions options);
  ~Provider();
  Provider(const Provider&) = delete;
  Provider& operator=(const Provider&) = delete;

  const std::string& issuer() const;

  // From <issuer without a trailing '/'>/.well-known/openid-configuration, cached for
  // metadata_ttl_seconds. Unreachable or 5xx → kUnavailable (a timeout: kDeadlineExceeded); bad
  // JSON, a missing issuer/authorization/token/jwks endpoint, an issuer that differs from the
  // configured one, or a non-https endpoint of an https issuer → kUpstreamUnavailable (logged with
  // the reason). Every failure starts a backoff (1 s doubling to 60 s) during which calls fail at
  // once without network I/O, with the last failure's code. Once a document was good, a failed
  // re-read keeps serving it (logged at warn) rather than failing sign-ins.
  Result<std::shared_ptr<const ProviderMetadata>> Metadata();

  // The JWKS (jose::ParseJwks) from jwks_uri, cached for jwks_ttl_seconds. When kid is non-empty
  // and no cached key has it, the set is refetched once, at most once per jwks_min_refetch_seconds
  // (key rotation without a restart; a flood of forged kids cannot hammer the provider); the
  // answer may still lack kid, which the verifier then refuses. Failures as for Metadata; an empty
  // key set is kUpstreamUnavailable.
  Result<std::shared_ptr<const std::vector<jose::RsaPublicJwk>>> KeysFor(std::string_view kid);

  // RFC 6749 §4.1.3 + RFC 7636 §4.5: POST token_endpoint with grant_type=authorization_code,
  // code, redirect_uri and code_verifier (left out when empty), authenticated with
  // client_secret_basic. 400/401 with an OAuth error → kInvalidArgument, detail naming error and
  // error_description; 5xx, 429 or unreachable → kUnavailable; any other answer, or a 200 without
  // id_token or access_token or with a token_type other than Bearer (any case) →
  // kUpstreamUnavailable. Tokens never appear in logs or error details.
  Result<TokenResponse> ExchangeCode(std::string_view code, std::string_view code_verifier,
                                     std::string_view redirect_uri, std::string_view client_id,
                                     std::string_view client_secret);

  // RFC 6749 §6: POST token_endpoint with grant_type=refresh_token and refresh_token,
  // client_secret_basic as for ExchangeCode. The answer's tokens (an ID token is not required
  // here: OpenID Connect Core §12.2 makes it optional; with rotation, as Okta's, a new
  // refresh_token, which the caller must keep in place of the old). 400/401 with an OAuth error
  // → kUnauthenticated with Reason::kSignInAgain (invalid_grant: expired, revoked, reused; the
  // client refused), detail naming error and error_description; other failures as for
  // ExchangeCode. Tokens never appear in logs or error details.
  Result<TokenResponse> Refresh(std::string_view refresh_token, std::string_view client_id,
                                std::string_view client_secret);

  // RFC 7009 §2.1: POST revocation_endpoint token=...&token_type_hint=refresh_token,
  // client_secret_basic. With rotation, as Okta's, revoking a refresh token revokes its family
  // (the access tokens issued with it too). 200 → done (also for a token the provider no longer
  // knows, §2.2); no revocation_endpoint → kNotImplemented; other answers as for Refresh. The
  // token never appears in logs or error details.
  Status RevokeRefreshToken(std::string_view refresh_token, std::string_view client_id,
                            std::string_view client_secret);

  // Tells whether the token endpoint accepts the client's credentials without a user: it asks to
  // redeem an authorization code that cannot exist (random), authenticated with
  // client_secret_basic like ExchangeCode. RFC 6749 §5.2 answers: "invalid_client" (401) = the
  // client id or secret is refused; "invalid_grant" = the credentials were accepted and the code
  // refused, as it must be; "unauthorized_client" = this client may not use the
  // authorization-code grant. Returns the answer, whatever its status; discovery's failures, or an
  // unreachable endpoint, as for Metadata. The secret is never in a log or an error.
  Result<ProbeAnswer> ProbeClientCredentials(std::string_view client_id,
                                             std::string_view client_secret,
                                             std::string_view redirect_uri);

  // Tells whether the provider knows the client and redirect_uri as registered for it, without a
  // user: an authorization request (code flow with PKCE, scope openid) with prompt=none, so no
  // page is shown. A provider redirects back to the redirect_uri (here with
  // error=login_required) only when the client exists and the URI is registered for it; for an
  // unknown client or URI it shows its own error page and never redirects (RFC 6749 §4.1.2.1).
  // redirected and error say which; failures as for Metadata.
  Result<ProbeAnswer> ProbeAuthorization(std::string_view client_id, std::string_view redirect_uri);

  // OpenID Connect Core §5.3: GET userinfo_endpoint with Authorization: Bearer (never the token in
  // a query string). The JSON object's claims; it must hold a string sub. 401 → kUnauthenticated,
  // 403 → kPermissionDenied (the WWW-Authenticate error in detail), 5xx/429/unreachable →
  // kUnavailable; no userinfo_endpoint, a signed (JWT) answer or anything else →
  // kUpstreamUnavailable.
  Result<json::Document> UserInfo(std::string_view access_token);

 private:
  // The authorization-code grant posted to the token endpoint with client_secret_basic: the
  // sign-in's exchange and the credentials probe send the same request.
  Result<http::IncomingResponse> PostCodeGrant(std::string_view code,
                                               std::string_view code_verifier,
                                               std::string_view redirect_uri,
                                               std::string_view client_id,
                                               std::string_view client_secret);
  // A form-encoded grant (body) posted to the token endpoint with client_secret_basic: what every
  // grant shares. endpoint: the token endpoint when null, else the metadata's member it names.
  Result<http::IncomingResponse> PostGrant(
      std::string body, std::string_view client_id, std::string_view client_secret,
      std::string ProviderMetadata::*endpoint = &ProviderMetadata::token_endpoint);

  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace userdesk::oidc
