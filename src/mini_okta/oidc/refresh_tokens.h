// Refresh tokens (RFC 6749 §6) as Okta issues them with offline_access: opaque strings, rotated
// on every use, grouped in a family per sign-in. Presenting a rotated token after the grace
// period is taken as theft (RFC 9700 §4.14.2): the whole family and the access tokens issued
// from it stop working. Kept in memory only, like codes and revoked access tokens; only SHA-256
// hashes of old generations are kept, so a leaked dump cannot replay them.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mini_okta/oidc/state.h"

namespace userdesk::mini_okta::oidc {

// What a family carries from the code that started it to every refresh.
struct RefreshGrant {
  AuthServer server;
  std::string client_id;
  std::string user_id;
  std::vector<std::string> scopes;  // as granted with the code, offline_access included
  int64_t auth_time = 0;
  std::string sid;
};

// Okta's org server keeps refresh tokens 90 days (docs/okta-api.md §1.1); the family ends then,
// however often it is rotated ("same absolute expiry").
inline constexpr int64_t kRefreshTokenLifetimeSeconds = 90 * 24 * 3600;

class RefreshTokens {
 public:
  struct Started {
    std::string family;
    std::string token;
  };
  // A new family for grant, and its first refresh token. now_ms is real time.
  Started Start(const RefreshGrant& grant, int64_t now_ms);

  // The grant behind any generation of a live family (nothing changes), so the token endpoint
  // can check the client, server and scope before a token is spent; nullopt when unknown,
  // expired or revoked.
  std::optional<RefreshGrant> Find(const std::string& token, int64_t now_ms);

  enum class Outcome {
    kRotated,  // the current token: a new one replaces it
    kRetried,  // the token just rotated away, inside the grace period: the current one again
    kInvalid,  // unknown, expired, or of a revoked family
    kReused,   // a rotated token after the grace period: the family is revoked now
  };
  struct Redeemed {
    Outcome outcome = Outcome::kInvalid;
    RefreshGrant grant;
    std::string family;
    std::string refresh_token;         // kRotated, kRetried: what the client holds from now on
    std::vector<std::string> revoked;  // kReused: jtis of the family's access tokens
  };
  Redeemed Redeem(const std::string& token, int64_t now_ms, int64_t grace_seconds);

  // Remembers an access token issued from the family, to revoke it with the family.
  void AddAccessToken(const std::string& family, const std::string& jti);
  // RFC 7009 §2.1: revoking a refresh token revokes its family. The family's access-token jtis
  // (to revoke too); empty for an unknown token or another client's.
  std::vector<std::string> Revoke(const std::string& token, const std::string& client_id);
  // Revokes a family by id (a code used twice revokes what it produced, RFC 6749 §4.1.2).
  std::vector<std::string> RevokeFamily(const std::string& family);

 private:
  struct Family {
    RefreshGrant grant;
    std::string current;        // the token the client holds now (plain: it is handed out again
                                // to a retry inside the grace period)
    std::string previous_hash;  // the generation rotated away last
    int64_t rotated_ms = 0;     // when it was
    int64_t expires_ms = 0;
    bool revoked = false;
    std::vector<std::string> access_jtis;
  };
  std::vector<std::string> RevokeLocked(Family& family);
  void PruneLocked(int64_t now_ms);

  std::mutex mu_;
  std::map<std::string, Family> families_;     // by family id
  std::map<std::string, std::string> tokens_;  // SHA-256 hex of every generation -> family id
};

}  // namespace userdesk::mini_okta::oidc
