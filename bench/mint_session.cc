// Prints a valid session cookie value for bench/run.sh, signed with APP_SECRET from the
// environment, so the benchmark can load signed-in pages without a browser sign-in.
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
  userdesk::session::Session s =
      codec.Start("00ubenchmark000000001", "Bench Mark", "", userdesk::session::NowSeconds());
  std::printf("%s=%s\n", codec.cookie_name().c_str(), codec.Encode(s).c_str());
  return 0;
}
