// What every userdesk-admin command shares: the exit codes scripts rely on, the argument parser,
// the configuration (the same env file the responders read), the Okta client options, and the
// one place an Okta failure becomes a message and an exit code. Output never holds a secret's
// value (API tokens, the client secret, APP_SECRET), and text from Okta (names, error texts) is
// made safe for a terminal before it is printed.
#pragma once

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "okta/api_call.h"

namespace userdesk::admin {

// The exit codes, as docs/operations.md documents them (sysexits.h for 69 and 78).
enum ExitCode : int {
  kExitOk = 0,
  kExitProblems = 1,      // problems found, or Okta refused what was asked
  kExitUsage = 2,         // a mistake on the command line, or a required confirmation missing
  kExitUnavailable = 69,  // EX_UNAVAILABLE: Okta unreachable, failing (5xx) or rate-limiting
  kExitConfig = 78,       // EX_CONFIG: the env file cannot be used, or Okta refuses its token
};

// The env file read when USERDESK_ENV_FILE is not set: SYSCONFDIR/userdesk/userdesk.env of the
// build's install prefix (/etc/userdesk/userdesk.env for the .deb), set by CMake.
const char* DefaultEnvFile();

// A command's arguments after its name: flags (--name, --name VALUE or --name=VALUE) and
// positional words, checked against what the command accepts.
class Args {
 public:
  struct Spec {
    std::vector<std::string> switches;  // flags without a value, e.g. "--yes"
    std::vector<std::string> options;   // flags with a value, e.g. "--format"
    size_t min_positional = 0;
    size_t max_positional = 0;
  };

  // nullopt after writing what is wrong to err (an unknown flag, a missing value, a flag given
  // twice, too few or too many words).
  static std::optional<Args> Parse(const std::vector<std::string>& words, const Spec& spec,
                                   std::ostream& err);

  bool Has(std::string_view flag) const { return values_.count(std::string(flag)) != 0; }
  std::string Value(std::string_view flag, std::string fallback = "") const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

// What a command needs to run: the configuration and where it came from.
struct Context {
  config::Config config;
  std::string env_file;      // the file read, for messages
  okta::ClientOptions okta;  // ORG_URL and the timeouts, with the admin's 429 bounds
};

// Loads the configuration as the responders do (config::Load: USERDESK_ENV_FILE, default
// DefaultEnvFile(), then the environment, which wins). On failure writes every problem, one per
// line, naming the key (never a value), and returns nullopt: exit kExitConfig.
std::optional<Context> LoadContext(const config::Requirements& needs, std::ostream& err);

// Text from Okta or a file, as it may be shown on a terminal: control characters, C1, bidi
// controls, U+2028/U+2029 and bytes that are not UTF-8 become \xHH; everything else is kept.
std::string ForTerminal(std::string_view text);

// An Okta failure as one message and an exit code: unreachable, 5xx and 429 are
// kExitUnavailable; a token Okta refuses (401) or whose administrator lacks the right (403
// E0000006) is kExitConfig, naming token_key; anything else Okta refused (not found, a status
// the operation does not apply to, a validation error with its causes) is kExitProblems.
struct Explained {
  std::string message;
  int exit_code;
};
Explained Explain(const okta::Failure& failure, std::string_view token_key);

}  // namespace userdesk::admin
