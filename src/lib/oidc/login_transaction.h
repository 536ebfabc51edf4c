// Sign-in attempts ("transactions"): each /login makes a fresh state, nonce and PKCE verifier and
// keeps them, with where to go afterwards, in a signed cookie of its own (signed_cookie.h,
// purpose "login"), named after the state. So two tabs can sign in at once, and the callback
// finds the attempt its state names. Bounded: attempts live 10 minutes, and at most
// kMaxLiveTransactions cookies are kept (the oldest dropped), so headers never grow without end.
// A transaction is taken once: its cookie is cleared at the callback and its state remembered
// in this process until it would have expired anyway, so a replayed callback finds nothing.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/response.h"
#include "session/signed_cookie.h"

namespace userdesk::oidc {

inline constexpr int64_t kTransactionLifetimeSeconds = 10 * 60;
inline constexpr size_t kMaxLiveTransactions = 5;
// At most this many of the browser's old attempt cookies are deleted per response. Each deletion
// is a Set-Cookie header; a browser holding many (junk, expired) cookies under our prefix must
// not grow a response past nginx's header buffer (a 502). The rest go on later responses.
inline constexpr size_t kMaxDeletionsPerResponse = 10;

struct LoginTransaction {
  std::string state;          // 256 random bits, base64url
  std::string nonce;          // 256 random bits, base64url
  std::string code_verifier;  // PKCE (RFC 7636): 256 random bits, base64url (43 characters)
  std::string return_to;      // a same-origin path (app/return_to.h has cleaned it)
  int64_t created_at = 0;
  // A sign-in that must ask for the password again (prompt=login): the ID token's auth_time
  // must then be no older than the attempt.
  bool fresh = false;
};

// BASE64URL(SHA256(verifier)): the PKCE S256 code_challenge (RFC 7636 §4.2).
std::string CodeChallengeS256(std::string_view code_verifier);

class LoginTransactions {
 public:
  LoginTransactions(const std::string& secret, const std::string& previous_secret, bool https);

  using CookieJar = std::map<std::string, std::string, std::less<>>;

  // A new transaction for return_to. *set_cookies gets its cookie, plus deletions for the
  // browser's excess older transaction cookies and then its expired or invalid ones, at most
  // kMaxDeletionsPerResponse in all. Only names of our shape (prefix + 16 base64url
  // characters) are deleted: echoing a name of any length would let the browser choose the
  // size of our headers.
  LoginTransaction Begin(std::string return_to, const CookieJar& cookies, int64_t now,
                         std::vector<http::SetCookie>* set_cookies, bool fresh = false);

  // The live, intact, not yet used transaction whose state is `state`, or nullopt (unknown,
  // expired, tampered, replayed). When the browser holds a cookie for the state, *set_cookies
  // gets its deletion either way.
  std::optional<LoginTransaction> Take(const CookieJar& cookies, std::string_view state,
                                       int64_t now, std::vector<http::SetCookie>* set_cookies);

  // The cookie name for a state; exposed for tests.
  std::string CookieName(std::string_view state) const;

 private:
  std::optional<LoginTransaction> Read(std::string_view name, std::string_view value,
                                       int64_t now) const;
  http::SetCookie Deletion(std::string name) const;
  bool OurShape(std::string_view cookie_name) const;
  bool MarkUsed(const std::string& state, int64_t now);

  session::SignedCookieCodec signer_;
  bool https_;
  std::string prefix_;
  std::mutex used_mutex_;
  std::map<std::string, int64_t> used_;  // state -> when its transaction would have expired
};

}  // namespace userdesk::oidc
