#include "oidc/login_transaction.h"

#include <algorithm>

#include "crypto/base64url.h"
#include "crypto/hmac.h"
#include "crypto/random.h"
#include "json/json.h"

namespace userdesk::oidc {
namespace {

// Enough of the state to keep cookie names apart (96 bits); the full state is checked inside.
constexpr size_t kNameStateChars = 16;

std::string ToJson(const LoginTransaction& tx) {
  json::Document d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  d.AddMember("s", json::Str(tx.state, a), a);
  d.AddMember("n", json::Str(tx.nonce, a), a);
  d.AddMember("v", json::Str(tx.code_verifier, a), a);
  d.AddMember("r", json::Str(tx.return_to, a), a);
  d.AddMember("t", tx.created_at, a);
  if (tx.fresh) d.AddMember("f", true, a);
  return json::Write(d);
}

std::optional<LoginTransaction> FromJson(std::string_view text) {
  auto d = json::ParseObject(text);
  if (!d) return std::nullopt;
  auto s = json::GetString(*d, "s");
  auto n = json::GetString(*d, "n");
  auto v = json::GetString(*d, "v");
  auto r = json::GetString(*d, "r");
  auto t = json::GetInt(*d, "t");
  if (!s || !n || !v || !r || !t || s->size() < kNameStateChars) return std::nullopt;
  return LoginTransaction{*s, *n, *v, *r, *t, json::GetBool(*d, "f").value_or(false)};
}

}  // namespace

std::string CodeChallengeS256(std::string_view code_verifier) {
  return crypto::Base64UrlEncode(crypto::Sha256(code_verifier));
}

LoginTransactions::LoginTransactions(const std::string& secret, const std::string& previous_secret,
                                     bool https)
    : signer_("login", secret, previous_secret),
      https_(https),
      // RFC 6265bis: __Host- cookies need Secure, Path=/ and no Domain
      prefix_(https ? "__Host-userdesk_login_" : "userdesk_login_") {}

std::string LoginTransactions::CookieName(std::string_view state) const {
  return prefix_ + std::string(state.substr(0, kNameStateChars));
}

std::optional<LoginTransaction> LoginTransactions::Read(std::string_view name,
                                                        std::string_view value, int64_t now) const {
  auto payload = signer_.Verify(name, value);
  if (!payload) return std::nullopt;
  auto tx = FromJson(*payload);
  if (!tx || CookieName(tx->state) != name) return std::nullopt;
  if (tx->created_at + kTransactionLifetimeSeconds <= now) return std::nullopt;
  if (tx->created_at > now + 60) return std::nullopt;  // from the future: not ours
  return tx;
}

bool LoginTransactions::OurShape(std::string_view cookie_name) const {
  if (cookie_name.size() != prefix_.size() + kNameStateChars) return false;
  for (char c : cookie_name.substr(prefix_.size())) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return cookie_name.starts_with(prefix_);
}

http::SetCookie LoginTransactions::Deletion(std::string name) const {
  http::SetCookie c;
  c.name = std::move(name);
  c.max_age = 0;
  c.secure = https_;
  return c;
}

LoginTransaction LoginTransactions::Begin(std::string return_to, const CookieJar& cookies,
                                          int64_t now, std::vector<http::SetCookie>* set_cookies,
                                          bool fresh) {
  // the browser's live attempts, oldest first, and its dead ones (expired, tampered, junk)
  std::vector<std::pair<int64_t, std::string>> live;
  std::vector<std::string> dead;
  for (auto it = cookies.lower_bound(prefix_);
       it != cookies.end() && it->first.starts_with(prefix_); ++it) {
    if (auto tx = Read(it->first, it->second, now)) {
      live.emplace_back(tx->created_at, it->first);
    } else if (OurShape(it->first)) {
      dead.push_back(it->first);
    }
  }
  std::sort(live.begin(), live.end());
  // room for the new one: keep at most kMaxLiveTransactions - 1 of the old; then the dead
  size_t excess = live.size() >= kMaxLiveTransactions ? live.size() - kMaxLiveTransactions + 1 : 0;
  size_t deleted = 0;
  for (size_t i = 0; i < excess && deleted < kMaxDeletionsPerResponse; i++, deleted++) {
    set_cookies->push_back(Deletion(live[i].second));
  }
  for (size_t i = 0; i < dead.size() && deleted < kMaxDeletionsPerResponse; i++, deleted++) {
    set_cookies->push_back(Deletion(dead[i]));
  }

  LoginTransaction tx{crypto::RandomToken(32), crypto::RandomToken(32), crypto::RandomToken(32),
                      std::move(return_to), now, fresh};
  http::SetCookie c;
  c.name = CookieName(tx.state);
  c.value = signer_.Sign(c.name, ToJson(tx));
  c.max_age = kTransactionLifetimeSeconds;
  c.secure = https_;
  // Lax, not Strict: the callback is a top-level navigation from the provider's site
  c.same_site = http::SameSite::kLax;
  set_cookies->push_back(std::move(c));
  return tx;
}

bool LoginTransactions::MarkUsed(const std::string& state, int64_t now) {
  std::lock_guard<std::mutex> lock(used_mutex_);
  for (auto it = used_.begin(); it != used_.end();) {
    it = it->second <= now ? used_.erase(it) : std::next(it);
  }
  return used_.emplace(state, now + kTransactionLifetimeSeconds).second;
}

std::optional<LoginTransaction> LoginTransactions::Take(const CookieJar& cookies,
                                                        std::string_view state, int64_t now,
                                                        std::vector<http::SetCookie>* set_cookies) {
  if (state.size() < kNameStateChars) return std::nullopt;
  std::string name = CookieName(state);
  auto cookie = cookies.find(name);
  if (cookie == cookies.end()) return std::nullopt;
  set_cookies->push_back(Deletion(name));
  auto tx = Read(name, cookie->second, now);
  if (!tx || !crypto::ConstantTimeEquals(tx->state, state)) return std::nullopt;
  if (!MarkUsed(tx->state, now)) return std::nullopt;  // a replayed callback
  return tx;
}

}  // namespace userdesk::oidc
