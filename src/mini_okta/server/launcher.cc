#include "mini_okta/server/launcher.h"

#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/log.h"
#include "json/json.h"
#include "mini_okta/server/command_line.h"
#include "mini_okta/server/server.h"

namespace userdesk::mini_okta {
namespace {

std::optional<std::string> Env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

// The seed keeps demo passwords in plain text (the data file has only hashes). Print each one
// that still works, so a developer knows how to sign in.
void PrintSeedSignIns(const std::string& seed_file, MiniOktaServer& server) {
  if (seed_file.empty()) return;
  auto text = file::Read(seed_file);
  auto seed = text ? json::ParseObject(*text) : std::nullopt;
  const json::Value* users = seed ? json::GetArray(*seed, "users") : nullptr;
  if (users == nullptr) return;
  for (const auto& u : users->GetArray()) {
    auto password = json::GetString(u, "password");
    const auto* profile = json::GetObject(u, "profile");
    auto login = profile ? json::GetString(*profile, "login") : std::nullopt;
    if (!password || !login) continue;
    auto user = server.store().users().Find(*login);
    if (user && server.store().users().CheckPassword(*user, *password)) {
      std::printf("mini-okta: sign in as %s / %s\n", login->c_str(), password->c_str());
    }
  }
}

// Blocks until SIGINT or SIGTERM. The signals are blocked in every thread (set before the
// server's threads start), so only this sigwait sees them.
void WaitForStopSignal(const sigset_t& signals) {
  int received = 0;
  sigwait(&signals, &received);
  log::Info("mini-okta", std::string("stopping on ") + strsignal(received));
}

}  // namespace

int RunMiniOkta(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto config = ParseCommandLine(args, Env);
  if (!config) {
    std::fprintf(stderr, "mini-okta: %s\n%s", config.error().detail.c_str(), UsageText().c_str());
    return 2;
  }
  if (config->show_help) {
    std::printf("%s", UsageText().c_str());
    return 0;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  MiniOktaServer server(config->options, config->faults);
  Status started = server.Start();
  if (!started) {
    std::fprintf(stderr, "mini-okta: %s\n", started.error().detail.c_str());
    return 1;
  }
  std::printf("mini-okta listening on %s\n", server.base_url().c_str());
  PrintSeedSignIns(config->options.seed_file, server);
  if (server.store().api_tokens().Count() == 0) {
    log::Warn("mini-okta",
              "no API tokens (seed \"apiTokens\"): every management API call will get 401");
  }
  std::fflush(stdout);
  WaitForStopSignal(signals);
  server.Stop();
  return 0;
}

}  // namespace userdesk::mini_okta
