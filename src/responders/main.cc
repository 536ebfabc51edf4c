// userdesk-responder: runs the responder named by the link it was started through
// (responders/responders.h).
#include <cstdio>
#include <string_view>

#include "responders/responders.h"

namespace {

struct Responder {
  std::string_view program;
  int (*run)();
};

constexpr Responder kResponders[] = {
    {"userdesk-home", userdesk::responders::home::Run},
    {"userdesk-auth", userdesk::responders::auth::Run},
    {"userdesk-dashboard", userdesk::responders::dashboard::Run},
    {"userdesk-profile", userdesk::responders::profile::Run},
    {"userdesk-account", userdesk::responders::account::Run},
};

}  // namespace

int main(int argc, char** argv) {
  std::string_view called = argc > 0 && argv[0] != nullptr ? argv[0] : "";
  if (size_t slash = called.rfind('/'); slash != std::string_view::npos) {
    called.remove_prefix(slash + 1);
  }
  for (const Responder& responder : kResponders) {
    if (called == responder.program) return responder.run();
  }
  std::fprintf(stderr,
               "userdesk-responder: start it by one of its names, the links beside it "
               "(userdesk-home, userdesk-auth, userdesk-dashboard, userdesk-profile, "
               "userdesk-account), not as %.*s\n",
               static_cast<int>(called.size()), called.data());
  return 2;
}
