// userdesk-admin check: is this env file ready to serve, as `nginx -t` asks of a configuration?
// Every key valid, the templates load, the issuer's discovery answers and names the configured
// issuer, the provider knows the client and its sign-in redirect URI, the token endpoint accepts
// the client's credentials, each API token works, the user schema has every attribute the
// profile form writes, and HOST_URL is a plain origin. One line per finding, naming the key and
// the fix; never a secret's value.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace userdesk::admin {

enum class Verdict {
  kOk,
  kProblem,      // wrong, and the line says how to fix it
  kUnreachable,  // could not be checked: the provider or Okta did not answer
  kNote,         // fine, but worth knowing (what cannot be checked from here)
};

struct Finding {
  Verdict verdict;
  std::string subject;  // the key (CLIENT_SECRET), or what is checked (schema.birthdate)
  std::string text;     // what was found and, for a problem, the fix
};

struct CheckReport {
  std::vector<Finding> findings;
  bool config_unusable = false;  // the env file could not be read or its keys are invalid
};

// The exit code: kExitConfig when the env file is unusable (nothing else was checked), else
// kExitProblems when anything is wrong, else kExitUnavailable when something could not be
// checked for want of an answer, else kExitOk.
int ExitCodeOf(const CheckReport& report);

// Loads the env file (every key required) and runs every check against the provider and Okta.
CheckReport RunCheck();

// The report as text lines ("ok   ISSUER: ...") and a last summary line, or as one JSON object
// {"ok", "exitCode", "findings": [{"verdict", "subject", "text"}]}.
void PrintCheck(const CheckReport& report, bool json, std::ostream& out);

// userdesk-admin check [--json]: the command, its exit code.
int CheckCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace userdesk::admin
