// The refresh_token grant of POST {server}/v1/token (RFC 6749 §6), as Okta answers it with
// refresh-token rotation on (docs/okta-api.md §1.4): every use returns a new refresh token and
// retires the one presented; a retired one presented again after the grace period revokes the
// family (the newest refresh token and every access token issued from the sign-in).
#include <httplib.h>

#include "mini_okta/dev/faults.h"
#include "mini_okta/oidc/common.h"
#include "mini_okta/oidc/refresh_tokens.h"
#include "mini_okta/oidc/token_grants.h"

namespace userdesk::mini_okta::oidc {
namespace {

constexpr char kInvalidToken[] = "The refresh token is invalid or expired.";

// RFC 6749 §6: the scope asked for must be granted already; none asked keeps the original.
std::optional<std::vector<std::string>> NarrowedScopes(const httplib::Request& req,
                                                       const RefreshGrant& grant) {
  if (!req.has_param("scope")) return grant.scopes;
  std::vector<std::string> asked = SplitSpaces(Param(req, "scope"));
  if (asked.empty()) return std::nullopt;
  for (const std::string& scope : asked) {
    if (!Contains(grant.scopes, scope)) return std::nullopt;
  }
  return asked;
}

int64_t GraceSeconds(const OidcState& state) {
  return state.ctx.faults != nullptr ? state.ctx.faults->Get().refresh_token_grace_seconds : 30;
}

}  // namespace

void GrantRefreshToken(OidcState& state, const AuthServer& as, const OidcClient& client,
                       const httplib::Request& req, httplib::Response& res) {
  std::string token = Param(req, "refresh_token");
  if (token.empty()) {
    return SendOAuthError(res, 400, "invalid_request", "The 'refresh_token' parameter is missing.");
  }
  // Checked before the token is spent, so a request refused here leaves the family as it was.
  std::optional<RefreshGrant> grant = state.refresh_tokens->Find(token, SystemNowMillis());
  // RFC 6749 §6: bound to the client it was issued to (and here to its authorization server).
  if (!grant || grant->client_id != client.client_id || grant->server.org != as.org) {
    return InvalidGrant(res, kInvalidToken);
  }
  std::optional<std::vector<std::string>> scopes = NarrowedScopes(req, *grant);
  if (!scopes) {
    return SendOAuthError(res, 400, "invalid_scope",
                          "The requested scope is invalid, unknown, or malformed.");
  }
  std::optional<UserRecord> user = state.ctx.store->users().Find(grant->user_id);
  if (!user || user->status != "ACTIVE") return InvalidGrant(res, kInvalidToken);

  RefreshTokens::Redeemed redeemed =
      state.refresh_tokens->Redeem(token, SystemNowMillis(), GraceSeconds(state));
  if (redeemed.outcome == RefreshTokens::Outcome::kReused) {
    state.RevokeAccessTokens(redeemed.revoked);
    return InvalidGrant(res, kInvalidToken);
  }
  if (redeemed.outcome == RefreshTokens::Outcome::kInvalid) return InvalidGrant(res, kInvalidToken);

  AuthCode as_code;
  as_code.request.server = as;
  as_code.request.client_id = client.client_id;
  as_code.request.scopes = *scopes;
  as_code.user_id = user->id;
  as_code.auth_time = grant->auth_time;
  as_code.sid = grant->sid;
  auto tokens = IssueTokens(state, as_code, *user);
  if (!tokens) return SendOAuthError(res, 500, "server_error", "Token signing failed.");
  state.refresh_tokens->AddAccessToken(redeemed.family, tokens->access_jti);
  tokens->refresh_token = redeemed.refresh_token;
  SendTokenResponse(res, *tokens);
}

}  // namespace userdesk::mini_okta::oidc
