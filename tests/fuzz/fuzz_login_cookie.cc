// The sign-in attempt cookie and the callback's state both come from the browser: no input may
// yield a transaction that was not signed with our secret.
#include <cstdint>
#include <string>
#include <string_view>

#include "oidc/login_transaction.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static userdesk::oidc::LoginTransactions transactions("fuzzing-secret-0123456789", "", false);
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // first line: the state; the rest: the cookie value, under the name that state maps to
  size_t newline = input.find('\n');
  std::string state(input.substr(0, newline));
  std::string value(newline == std::string_view::npos ? "" : input.substr(newline + 1));
  userdesk::oidc::LoginTransactions::CookieJar jar;
  if (state.size() >= 16) jar[transactions.CookieName(state)] = value;
  std::vector<userdesk::http::SetCookie> cookies;
  if (transactions.Take(jar, state, 1'800'000'000, &cookies)) __builtin_trap();
  // Begin must cope with whatever the browser holds, and stay bounded
  transactions.Begin("/", jar, 1'800'000'000, &cookies);
  return 0;
}
