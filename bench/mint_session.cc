// Prints a valid session cookie value for bench/run.sh, signed with APP_SECRET from the
// environment, so the benchmark can load signed-in pages without a browser sign-in. The session
// is BENCH_SUB's (an Okta user id, so pages that read the user's profile find one) when set, else
// a made-up user. It is recorded in the stack's session registry (SESSION_STORE, or sessions.db
// in STATE_DIRECTORY, or Redis, as the responders find it), as a sign-in would.
#include <cstdio>
#include <cstdlib>

#include "app/app.h"
#include "config/config.h"
#include "session/session_cookie.h"
#include "session/session_gate.h"

int main() {
  namespace session = userdesk::session;
  auto cfg = userdesk::config::Load(userdesk::config::Requirements{});
  if (!cfg.ok()) {
    std::fprintf(stderr, "mint_session: %s\n", cfg.error().detail.c_str());
    return 2;
  }
  session::SessionCodec codec({cfg->app_secret, "", cfg->https(), 60});
  // the full absolute lifetime, so a long benchmark run keeps its session
  const char* sub = std::getenv("BENCH_SUB");
  int64_t now = session::NowSeconds();
  session::Session s = codec.Start(sub != nullptr && *sub != '\0' ? sub : "00ubenchmark000000001",
                                   "Bench Mark", "", now);
  auto registry = userdesk::app::OpenRegistry(*cfg);
  if (!registry.ok()) {
    std::fprintf(stderr, "mint_session: %s\n", registry.error().detail.c_str());
    return 1;
  }
  if (*registry) {
    session::SessionGate gate(std::move(registry).value(), cfg->session_check_seconds);
    if (auto begun = gate.Begin(s, "wrk on Linux", "127.0.0.1", now); !begun.ok()) {
      std::fprintf(stderr, "mint_session: %s\n", begun.error().detail.c_str());
      return 1;
    }
  }
  std::printf("%s=%s\n", codec.cookie_name().c_str(), codec.Encode(s).c_str());
  return 0;
}
