#include "app/user_tokens.h"

#include <algorithm>
#include <sstream>

#include "app/app.h"
#include "base/log.h"
#include "base/park.h"

namespace userdesk::app {
namespace {

constexpr const char* kLog = "tokens";

Error SignInAgain(std::string detail) {
  return MakeError(ErrorCode::kUnauthenticated, std::move(detail), Reason::kSignInAgain);
}

// The registry's failures are the sessions' (fail closed, "try again"): the error table's 503.
Error StoreError(Error error) {
  error.reason = Reason::kSessionsUnavailable;
  return error;
}

bool HasScope(std::string_view granted, std::string_view wanted) {
  std::istringstream words{std::string(granted)};
  std::string word;
  while (words >> word) {
    if (word == wanted) return true;
  }
  return false;
}

}  // namespace

Status CheckMyAccountGrant(const oidc::TokenResponse& tokens) {
  auto refused = [](std::string what) {
    return MakeError(ErrorCode::kUpstreamUnavailable, "MyAccount mode: " + what,
                     Reason::kProfileAccessNotGranted);
  };
  if (tokens.access_token.empty()) return refused("the token response has no access_token");
  if (tokens.refresh_token.empty()) {
    return refused(
        "the token response has no refresh_token (is offline_access granted, and the Refresh "
        "Token grant allowed for the app?)");
  }
  if (!tokens.scope.empty()) {
    for (std::string_view scope :
         {"okta.myAccount.profile.read", "okta.myAccount.profile.manage"}) {
      if (!HasScope(tokens.scope, scope)) {
        return refused("the scope " + std::string(scope) + " was not granted");
      }
    }
  }
  return OkStatus();
}

std::string_view SignInScopes(const config::Config& config) {
  return config.profile_api == config::ProfileApi::kMyAccount ? kMyAccountScopes
                                                              : "openid profile email";
}

UserTokens::UserTokens(std::shared_ptr<session::TokenVault> vault,
                       std::shared_ptr<oidc::Provider> provider, UserTokensOptions options)
    : vault_(std::move(vault)), provider_(std::move(provider)), options_(std::move(options)) {
  if (!options_.now) options_.now = session::NowSeconds;
}

Result<bool> UserTokens::Keep(std::string_view record_id, const oidc::TokenResponse& tokens) {
  session::StoredTokens stored;
  stored.access_token = tokens.access_token;
  int64_t lifetime = tokens.expires_in > 0 ? tokens.expires_in : kDefaultLifetimeSeconds;
  stored.access_expires_at = options_.now() + lifetime;
  stored.refresh_token = tokens.refresh_token;
  stored.scope = tokens.scope;
  stored.id_token = tokens.id_token;
  return vault_->Put(record_id, stored);
}

bool UserTokens::Fresh(const session::StoredTokens& tokens) const {
  return tokens.access_expires_at - options_.now() > options_.refresh_margin_seconds;
}

Result<std::string> UserTokens::AccessToken(const session::Session& session, bool force_refresh) {
  if (session.sid.empty()) return SignInAgain("the session has no sid, so no stored tokens");
  return AccessTokenFor(session::RecordId(session.sid), force_refresh);
}

Result<std::string> UserTokens::AccessTokenFor(std::string_view record_id, bool force_refresh) {
  if (!force_refresh) {
    // the common case: no flight, one registry read
    auto stored = vault_->Get(record_id);
    if (!stored.ok()) return StoreError(stored.error());
    if (!stored->has_value()) return SignInAgain("no tokens stored for the session");
    if (Fresh(**stored)) return (*stored)->access_token;
  }
  return RefreshInFlight(record_id, force_refresh);
}

Result<std::string> UserTokens::RefreshInFlight(std::string_view record_id, bool force_refresh) {
  std::shared_ptr<Flight> flight;
  {
    std::lock_guard lock(flights_mutex_);
    std::shared_ptr<Flight>& slot = flights_[std::string(record_id)];
    if (!slot) slot = std::make_shared<Flight>();
    flight = slot;
    flight->users++;
  }
  auto leave = [&] {
    std::lock_guard lock(flights_mutex_);
    if (--flight->users == 0) flights_.erase(std::string(record_id));
  };
  std::unique_lock<std::mutex> in_flight(flight->mutex, std::try_to_lock);
  bool waited = false;
  if (!in_flight.owns_lock()) {
    // another thread is refreshing this session: wait for it as for the provider (base/park.h)
    park::Scope parked;
    if (!parked.admitted()) {
      leave();
      return park::BusyError("waiting for another request's token refresh");
    }
    in_flight.lock();
    waited = true;
  }
  Result<std::string> out = [&]() -> Result<std::string> {
    auto stored = vault_->Get(record_id);
    if (!stored.ok()) return StoreError(stored.error());
    if (!stored->has_value()) return SignInAgain("no tokens stored for the session");
    // the flight we waited for has stored a fresh pair: a forced refresh is done too
    if (Fresh(**stored) && (!force_refresh || waited)) return (*stored)->access_token;
    return Renew(record_id, **stored);
  }();
  in_flight.unlock();
  leave();
  return out;
}

Result<std::string> UserTokens::Renew(std::string_view record_id,
                                      const session::StoredTokens& stored) {
  bool still_valid = stored.access_expires_at > options_.now();
  if (stored.refresh_token.empty()) {
    if (still_valid) return stored.access_token;
    return SignInAgain("the access token expired and there is no refresh token");
  }
  auto refreshed =
      provider_->Refresh(stored.refresh_token, options_.client_id, options_.client_secret);
  if (!refreshed.ok()) {
    if (refreshed.error().reason == Reason::kSignInAgain) {
      // expired, revoked, or reused: these tokens will never work again
      log::Info(kLog, log::Event("tokens.refresh_refused",
                                 "refresh token refused; access and refresh tokens deleted "
                                 "(sign in again): " +
                                     refreshed.error().detail)
                          .Add("record", std::string(record_id)));
      if (Status dropped = DropAllButIdToken(record_id, stored); !dropped.ok()) {
        log::Warn(kLog, "refused tokens not deleted: " + dropped.error().detail);
      }
      return refreshed.error();
    }
    if (still_valid) {
      log::Warn(kLog, "token refresh failed, using the access token until it expires: " +
                          refreshed.error().detail);
      return stored.access_token;
    }
    return refreshed.error();
  }
  if (refreshed->access_token.empty()) {
    return MakeError(ErrorCode::kUpstreamUnavailable, "refresh answer has no access_token");
  }
  session::StoredTokens renewed;
  renewed.access_token = refreshed->access_token;
  renewed.access_expires_at =
      options_.now() +
      (refreshed->expires_in > 0 ? refreshed->expires_in : kDefaultLifetimeSeconds);
  // rotation: the new refresh token replaces the old, which the provider has retired; a provider
  // with static refresh tokens sends none, and the old one goes on
  renewed.refresh_token =
      refreshed->refresh_token.empty() ? stored.refresh_token : refreshed->refresh_token;
  renewed.scope = refreshed->scope.empty() ? stored.scope : refreshed->scope;
  renewed.id_token = stored.id_token;  // the sign-in's, for sign-out
  auto kept = vault_->Put(record_id, renewed);
  if (!kept.ok()) return StoreError(kept.error());
  if (!*kept) return SignInAgain("the session ended during the token refresh");
  log::Info(kLog, log::Event("tokens.refreshed", "access token refreshed")
                      .Add("record", std::string(record_id)));
  return renewed.access_token;
}

Status UserTokens::Forget(std::string_view record_id) { return vault_->Drop(record_id); }

// The sign-in's ID token outlives a refused refresh: the session goes on until the user signs in
// again or out, and sign-out still needs it to end the provider's session too (id_token_hint).
Status UserTokens::DropAllButIdToken(std::string_view record_id,
                                     const session::StoredTokens& stored) {
  if (stored.id_token.empty()) return vault_->Drop(record_id);
  session::StoredTokens kept;
  kept.id_token = stored.id_token;
  auto put = vault_->Put(record_id, kept);
  if (!put.ok()) return put.error();
  return OkStatus();  // false: the session ended meanwhile, and its tokens with it
}

void UserTokens::RevokeAtProvider(std::string_view record_id) {
  auto stored = vault_->Get(record_id);
  if (!stored.ok() || !stored->has_value() || (*stored)->refresh_token.empty()) return;
  Status revoked = provider_->RevokeRefreshToken((*stored)->refresh_token, options_.client_id,
                                                 options_.client_secret);
  if (!revoked.ok()) {
    log::Warn(kLog, "refresh token not revoked at sign-out (it expires with its family): " +
                        revoked.error().detail);
  }
}

std::shared_ptr<UserTokens> MakeUserTokens(const App& app,
                                           std::shared_ptr<oidc::Provider> provider) {
  if (app.config.profile_api != config::ProfileApi::kMyAccount || !app.session_gate) {
    return nullptr;
  }
  auto vault = std::make_shared<session::TokenVault>(
      app.session_gate->shared_registry(), app.config.app_secret, app.config.app_secret_previous);
  UserTokensOptions options;
  options.client_id = app.config.client_id;
  options.client_secret = app.config.client_secret;
  return std::make_shared<UserTokens>(std::move(vault), std::move(provider), std::move(options));
}

std::shared_ptr<oidc::Provider> MakeProvider(const config::Config& config, const char* component) {
  oidc::ProviderOptions options;
  options.issuer = config.issuer;
  options.http.connect_timeout_ms = config.http_connect_timeout_ms;
  options.http.total_timeout_ms = config.http_timeout_ms;
  options.http.component = component;
  return std::make_shared<oidc::Provider>(std::move(options));
}

std::function<Result<std::string>(const session::Session&, bool)> ProfileTokens(const App& app) {
  std::shared_ptr<UserTokens> tokens = MakeUserTokens(app, MakeProvider(app.config, app.name));
  if (!tokens) return nullptr;
  return [tokens](const session::Session& session, bool force_refresh) {
    return tokens->AccessToken(session, force_refresh);
  };
}

}  // namespace userdesk::app
