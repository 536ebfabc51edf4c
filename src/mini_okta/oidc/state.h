// What the OIDC routes remember between requests: pending sign-in requests, the sign-in sessions
// behind mini-okta's cookie, authorization codes, refresh-token families and revoked access
// tokens. All of it lives in
// memory (a restart signs everyone out and forgets codes, as a short-lived cache would) and
// expires on its own. Shared by the oidc*.cc route files; not part of any public contract.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mini_okta/management/okta_time.h"
#include "mini_okta/oidc/signing_keys.h"
#include "mini_okta/server/context.h"

namespace userdesk::mini_okta::oidc {

// ID tokens live 60 minutes, fixed in Okta; access tokens 60 minutes unless a policy (here the
// accessTokenLifetimeSeconds fault knob) says otherwise, at most 24 hours (docs/okta-api.md §1.1).
inline constexpr int64_t kIdTokenLifetimeSeconds = 3600;
inline constexpr int64_t kDefaultAccessTokenLifetime = 3600;
inline constexpr int64_t kMaxAccessTokenLifetime = 24 * 3600;

// The two authorization servers mini-okta runs (docs/okta-api.md §1.1).
struct AuthServer {
  bool org = true;  // org AS (/oauth2/v1) or the custom "default" AS
  std::string Prefix() const { return org ? "/oauth2/v1" : "/oauth2/default/v1"; }
  std::string Issuer(const Context& ctx) const {
    return org ? ctx.options.base_url : ctx.options.base_url + "/oauth2/default";
  }
  // The access token audience: the org AS uses the org URL, "default" uses api://default.
  std::string Audience(const Context& ctx) const {
    return org ? ctx.options.base_url : "api://default";
  }
  std::string Endpoint(const Context& ctx, std::string_view name) const {
    return ctx.options.base_url + Prefix() + "/" + std::string(name);
  }
};

// A validated /v1/authorize request, kept while the user signs in and inside the code.
struct AuthorizeRequest {
  AuthServer server;
  std::string client_id;
  std::string redirect_uri;
  std::string state;
  std::string nonce;  // empty when none was sent
  std::vector<std::string> scopes;
  std::string code_challenge;
  std::string login_hint;
};

// A sign-in form waiting for its post, and the browser it was shown to (the value of that
// browser's mini_okta_signin cookie).
struct PendingSignIn {
  AuthorizeRequest request;
  std::string browser;
};

struct SignInSession {
  std::string user_id;
  int64_t auth_time = 0;  // token-clock seconds
  // The session's public id, the ID token's sid claim (Back-Channel Logout 1.0 §2.4) and the id
  // Okta's Sessions API ends (DELETE /api/v1/sessions/{id}): opaque, random, and not the
  // cookie's value, which stays a secret between mini-okta and the browser.
  std::string sid;
};

// What a code's first redemption produced, so that a second use revokes it (RFC 6749 §4.1.2).
struct RedeemedCode {
  std::string access_jti;
  std::string refresh_family;  // empty when no refresh token was issued
};

struct AuthCode {
  AuthorizeRequest request;
  std::string user_id;
  int64_t auth_time = 0;
  std::string sid;  // the sign-in session the code was issued in
};

// A map whose entries vanish ttl seconds (real time) after they were put. Thread-safe.
template <typename V>
class ExpiringMap {
 public:
  void Put(const std::string& key, V value, int64_t ttl_seconds) {
    std::lock_guard<std::mutex> lock(mu_);
    Prune();
    entries_[key] = Entry{std::move(value), SystemNowMillis() + ttl_seconds * 1000};
  }
  std::optional<V> Get(const std::string& key) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.expires_ms <= SystemNowMillis()) return std::nullopt;
    return it->second.value;
  }
  // Get and remove in one step, so two concurrent callers can never both receive the value.
  std::optional<V> Take(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    Entry entry = std::move(it->second);
    entries_.erase(it);
    if (entry.expires_ms <= SystemNowMillis()) return std::nullopt;
    return std::move(entry.value);
  }
  void Erase(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    entries_.erase(key);
  }
  // Removes every entry whose value matches; how many there were.
  template <typename Pred>
  size_t EraseIf(Pred matches) {
    std::lock_guard<std::mutex> lock(mu_);
    return std::erase_if(entries_, [&](const auto& kv) { return matches(kv.second.value); });
  }

 private:
  struct Entry {
    V value;
    int64_t expires_ms;
  };
  void Prune() {
    int64_t now = SystemNowMillis();
    std::erase_if(entries_, [now](const auto& kv) { return kv.second.expires_ms <= now; });
  }
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

class RefreshTokens;  // oidc/refresh_tokens.h

struct OidcState {
  explicit OidcState(Context& context);

  // Seconds since the epoch on the token clock: real time plus the fault knob's clock offset.
  int64_t NowSeconds() const;

  Context& ctx;
  std::unique_ptr<SigningKeys> owned_keys;   // when main/server did not provide ctx.keys
  SigningKeys* keys;                         // fixed at start-up, whatever ctx.keys becomes later
  std::string org_id;                        // the "idp" claim: this org's id ("00o...")
  ExpiringMap<PendingSignIn> pending;        // sign-in form requests, by request id
  ExpiringMap<SignInSession> sessions;       // by sign-in cookie value
  ExpiringMap<AuthCode> codes;               // unredeemed codes
  ExpiringMap<RedeemedCode> redeemed_codes;  // code -> what its first use produced
  ExpiringMap<bool> revoked_jtis;            // revoked access tokens, until they expire
  std::shared_ptr<RefreshTokens> refresh_tokens;

  // The access-token lifetime now in force (the accessTokenLifetimeSeconds fault knob).
  int64_t AccessTokenLifetime() const;
  // Marks access tokens revoked for as long as any of them can live.
  void RevokeAccessTokens(const std::vector<std::string>& jtis);
};

}  // namespace userdesk::mini_okta::oidc
