// mini-okta's start-up configuration from flags and environment variables. A flag wins over its
// variable; every problem is reported at once so a bad invocation fails before binding.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "mini_okta/dev/faults.h"
#include "mini_okta/server/context.h"

namespace userdesk::mini_okta {

struct LaunchConfig {
  Options options;
  FaultSettings faults;
  bool show_help = false;
};

// Returns the value of an environment variable, or nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// Flags: --host --port --base-url --data --seed --rate-limits=off|developer --latency-ms
// --error-rate --force-429 --clock-offset --help; each as --name=value or --name value.
// Variables: MINI_OKTA_HOST, _PORT, _BASE_URL, _DATA, _SEED, _RATE_LIMITS.
// kInvalidArgument lists every bad flag or value.
Result<LaunchConfig> ParseCommandLine(const std::vector<std::string>& args, const EnvLookup& env);

std::string UsageText();

}  // namespace userdesk::mini_okta
