// userdesk-admin: the sysadmin's command for a userdesk install. It reads the responders' env
// file and talks to Okta through the core library's clients (docs/operations.md).
#include <iostream>
#include <string>
#include <vector>

#include "admin/check.h"
#include "admin/cli.h"
#include "admin/help.h"
#include "admin/schema_commands.h"
#include "admin/sessions_commands.h"
#include "admin/users_commands.h"
#include "base/log.h"

int main(int argc, char** argv) {
  using namespace userdesk::admin;
  std::vector<std::string> words(argv + 1, argv + argc);
  // The library logs each call and failure to stderr for the responders' journal; here the
  // commands say what went wrong themselves, so only --verbose shows those lines.
  userdesk::log::SetLevel(userdesk::log::Level::kError);
  if (!words.empty() && (words[0] == "--verbose" || words[0] == "-v")) {
    userdesk::log::SetLevel(userdesk::log::Level::kInfo);
    words.erase(words.begin());
  }
  if (words.empty()) {
    std::cerr << Help("");
    return kExitUsage;
  }
  const std::string command = words[0];
  std::vector<std::string> rest(words.begin() + 1, words.end());
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << Help(rest.empty() ? "" : rest[0]);
    return kExitOk;
  }
  if (command == "check") {
    if (WantsHelp(rest)) {
      std::cout << Help("check");
      return kExitOk;
    }
    return CheckCommand(rest, std::cout, std::cerr);
  }
  if (command == "schema") return SchemaCommand(rest, std::cout, std::cerr);
  if (command == "users") return UsersCommand(rest, std::cout, std::cerr);
  if (command == "sessions") return SessionsCommand(rest, std::cout, std::cerr);
  std::cerr << "userdesk-admin: unknown command " << ForTerminal(command) << "\n\n" << Help("");
  return kExitUsage;
}
