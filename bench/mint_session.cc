// Prints a valid session cookie value for bench/run.sh, signed with APP_SECRET from the
// environment, so the benchmark can load signed-in pages without a browser sign-in. The session
// is BENCH_SUB's (an Okta user id, so pages that read the user's profile find one) when set, else
// a made-up user.
#include <cstdio>
#include <cstdlib>

#include "session/session_cookie.h"

int main() {
  const char* secret = std::getenv("APP_SECRET");
  if (secret == nullptr) {
    std::fprintf(stderr, "mint_session: APP_SECRET is not set\n");
    return 2;
  }
  const char* host = std::getenv("HOST_URL");
  bool https = host != nullptr && std::string(host).rfind("https://", 0) == 0;
  userdesk::session::SessionCodec codec({secret, "", https, 60});
  // the full absolute lifetime, so a long benchmark run keeps its session
  const char* sub = std::getenv("BENCH_SUB");
  userdesk::session::Session s =
      codec.Start(sub != nullptr && *sub != '\0' ? sub : "00ubenchmark000000001", "Bench Mark", "",
                  userdesk::session::NowSeconds());
  std::printf("%s=%s\n", codec.cookie_name().c_str(), codec.Encode(s).c_str());
  return 0;
}
