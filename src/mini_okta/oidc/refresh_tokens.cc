#include "mini_okta/oidc/refresh_tokens.h"

#include "mini_okta/store/ids.h"

namespace userdesk::mini_okta::oidc {
namespace {

// Okta's refresh tokens are opaque, not JWTs (docs/okta-api.md §1.4); 43 characters as its own.
std::string NewToken() { return RandomAlphanumeric(43); }

}  // namespace

RefreshTokens::Started RefreshTokens::Start(const RefreshGrant& grant, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  PruneLocked(now_ms);
  std::string id = RandomAlphanumeric(24);
  Family& family = families_[id];
  family.grant = grant;
  family.current = NewToken();
  family.expires_ms = now_ms + kRefreshTokenLifetimeSeconds * 1000;
  tokens_[Sha256Hex(family.current)] = id;
  return {id, family.current};
}

std::optional<RefreshGrant> RefreshTokens::Find(const std::string& token, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  auto known = tokens_.find(Sha256Hex(token));
  if (known == tokens_.end()) return std::nullopt;
  auto it = families_.find(known->second);
  if (it == families_.end() || it->second.revoked || now_ms >= it->second.expires_ms) {
    return std::nullopt;
  }
  return it->second.grant;
}

RefreshTokens::Redeemed RefreshTokens::Redeem(const std::string& token, int64_t now_ms,
                                              int64_t grace_seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  Redeemed out;
  std::string hash = Sha256Hex(token);
  auto known = tokens_.find(hash);
  if (known == tokens_.end()) return out;
  auto it = families_.find(known->second);
  if (it == families_.end()) return out;
  Family& family = it->second;
  if (family.revoked || now_ms >= family.expires_ms) return out;
  out.grant = family.grant;
  out.family = it->first;
  if (token == family.current) {
    family.previous_hash = hash;
    family.rotated_ms = now_ms;
    family.current = NewToken();
    tokens_[Sha256Hex(family.current)] = it->first;
    out.outcome = Outcome::kRotated;
    out.refresh_token = family.current;
    return out;
  }
  // A client whose connection broke after the rotation retries with the token it still has;
  // only the generation just rotated away, and only for the grace period.
  if (hash == family.previous_hash && now_ms < family.rotated_ms + grace_seconds * 1000) {
    out.outcome = Outcome::kRetried;
    out.refresh_token = family.current;
    return out;
  }
  out.outcome = Outcome::kReused;
  out.revoked = RevokeLocked(family);
  return out;
}

void RefreshTokens::AddAccessToken(const std::string& family, const std::string& jti) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = families_.find(family);
  if (it != families_.end()) it->second.access_jtis.push_back(jti);
}

std::vector<std::string> RefreshTokens::Revoke(const std::string& token,
                                               const std::string& client_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto known = tokens_.find(Sha256Hex(token));
  if (known == tokens_.end()) return {};
  auto it = families_.find(known->second);
  if (it == families_.end() || it->second.grant.client_id != client_id) return {};
  return RevokeLocked(it->second);
}

std::vector<std::string> RefreshTokens::RevokeFamily(const std::string& family) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = families_.find(family);
  return it == families_.end() ? std::vector<std::string>{} : RevokeLocked(it->second);
}

std::vector<std::string> RefreshTokens::RevokeLocked(Family& family) {
  family.revoked = true;
  family.current.clear();
  return family.access_jtis;
}

void RefreshTokens::PruneLocked(int64_t now_ms) {
  for (auto it = families_.begin(); it != families_.end();) {
    if (it->second.expires_ms > now_ms) {
      ++it;
      continue;
    }
    std::erase_if(tokens_, [&](const auto& kv) { return kv.second == it->first; });
    it = families_.erase(it);
  }
}

}  // namespace userdesk::mini_okta::oidc
