// MyAccount mode's "a valid access token for this session": the user's own tokens, kept sealed
// with the session's record (session/token_vault.h), refreshed when the access token is about to
// expire (oidc::Provider::Refresh, with rotation: the new refresh token replaces the old).
//
// Here in app/ because it joins the session registry (session/) and the provider (oidc/),
// neither of which may know the other, as the sign-in callback does.
//
// Concurrency: the refreshes of one session within a process share one flight (the first
// thread refreshes; the others wait for it, then read what it stored). Across processes and
// hosts nothing is locked: two of them may present the same refresh token within a moment, and
// Okta's grace period for token rotation (0-60 s, 30 by default; mini-okta's
// refreshTokenGraceSeconds) answers the second as the first, so both store a working pair.
// A refresh token presented after that grace is reuse, which revokes the family: the user signs
// in again (docs/ARCHITECTURE.md, "MyAccount mode: tokens").
// Never logs a token.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/error.h"
#include "config/config.h"
#include "oidc/provider.h"
#include "session/session_cookie.h"
#include "session/token_vault.h"

namespace userdesk::app {

struct App;

struct UserTokensOptions {
  std::string client_id, client_secret;  // the refresh grant's client_secret_basic
  // an access token expiring within this is refreshed first, so a call made with it does not
  // fail on the way (clocks, the call's own duration)
  int64_t refresh_margin_seconds = 60;
  std::function<int64_t()> now;  // unix seconds; default session::NowSeconds
};

class UserTokens {  // thread-safe; one per responder generation
 public:
  UserTokens(std::shared_ptr<session::TokenVault> vault, std::shared_ptr<oidc::Provider> provider,
             UserTokensOptions options);

  // At sign-in: keeps the code exchange's tokens for the session's record (RecordId of its sid).
  // The answer must hold an access token; its expires_in (3600 when the provider did not say)
  // starts the clock. false when the record is not active; the registry's errors as they are.
  Result<bool> Keep(std::string_view record_id, const oidc::TokenResponse& tokens);

  // A valid access token for the session (its record: session::RecordId(session.sid)), refreshed
  // first when it expires within refresh_margin_seconds, or always when force_refresh (the API
  // answered 401 to the token we had: Reason::kAccessTokenRefused). Errors:
  //  - no tokens stored (signed in before MyAccount mode, unreadable blob, a session without a
  //    sid), no refresh token to renew an expired one, the provider refused the refresh token
  //    (its access and refresh tokens are then deleted; the sign-in's ID token stays, for
  //    sign-out's id_token_hint), or the session ended meanwhile: kUnauthenticated
  //    with Reason::kSignInAgain: the page keeps what was typed and asks for a sign-in;
  //  - the registry unreadable: kUnavailable, Reason::kSessionsUnavailable;
  //  - the provider unreachable or busy during a refresh: its error (kUnavailable,
  //    kDeadlineExceeded, kProviderBusy), unless the access token has not expired yet, which is
  //    then returned as it is.
  Result<std::string> AccessToken(const session::Session& session, bool force_refresh = false);
  Result<std::string> AccessTokenFor(std::string_view record_id, bool force_refresh = false);

  // Deletes the record's tokens (sign-out ends the record, which deletes them too).
  Status Forget(std::string_view record_id);

  // At sign-out, before the record ends: revokes the stored refresh token at the provider
  // (RFC 7009; Okta revokes its family, the access tokens with it), so a copy of the store is
  // worth nothing even with the client secret. Best effort: a failure is logged, never an error,
  // and the tokens go with the record either way.
  void RevokeAtProvider(std::string_view record_id);

  // Access tokens the provider gave without expires_in are kept this long.
  static constexpr int64_t kDefaultLifetimeSeconds = 3600;

 private:
  struct Flight {
    std::mutex mutex;
    int users = 0;
  };
  Result<std::string> RefreshInFlight(std::string_view record_id, bool force_refresh);
  Result<std::string> Renew(std::string_view record_id, const session::StoredTokens& stored);
  Status DropAllButIdToken(std::string_view record_id, const session::StoredTokens& stored);
  bool Fresh(const session::StoredTokens& tokens) const;

  std::shared_ptr<session::TokenVault> vault_;
  std::shared_ptr<oidc::Provider> provider_;
  UserTokensOptions options_;
  std::mutex flights_mutex_;
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights_;  // by record id
};

// The scopes a sign-in asks for in MyAccount mode: OpenID Connect's, offline_access for a
// refresh token, and the MyAccount profile scopes (granted by the org authorization server only).
inline constexpr std::string_view kMyAccountScopes =
    "openid profile email offline_access okta.myAccount.profile.read "
    "okta.myAccount.profile.manage";

// The sign-in's token response in MyAccount mode must hold what the pages will need: an access
// token, a refresh token (offline_access granted), and, when the provider lists the granted
// scopes (RFC 6749 §5.1: it may leave them out when they are those asked for), both MyAccount
// profile scopes. Otherwise kUpstreamUnavailable with Reason::kProfileAccessNotGranted (the
// error table's sign-in failure); the detail names what is missing, never a token.
Status CheckMyAccountGrant(const oidc::TokenResponse& tokens);

// What the app's sign-in asks for: kMyAccountScopes in MyAccount mode, else "openid profile email".
std::string_view SignInScopes(const config::Config& config);

// UserTokens for app in MyAccount mode (PROFILE_API=myaccount, with the registry the
// configuration requires), else null. provider: the responder's, shared with its other users.
std::shared_ptr<UserTokens> MakeUserTokens(const App& app,
                                           std::shared_ptr<oidc::Provider> provider);

// The provider client of the configuration's ISSUER (or ORG_URL/oauth2/default), with the
// configured timeouts; component names it in the log. Nothing is fetched until a request needs it.
std::shared_ptr<oidc::Provider> MakeProvider(const config::Config& config, const char* component);

// For profile::Profiles in MyAccount mode: the session's access token from UserTokens over a
// provider of this responder's own (for the refresh grant); null in users-API mode.
std::function<Result<std::string>(const session::Session&, bool)> ProfileTokens(const App& app);

}  // namespace userdesk::app
