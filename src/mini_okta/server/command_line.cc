#include "mini_okta/server/command_line.h"

#include <map>

#include "base/strings.h"

namespace userdesk::mini_okta {
namespace {

// The flags that take a value, and the environment variable each falls back to ("" = none).
const std::map<std::string, std::string>& ValueFlags() {
  static const std::map<std::string, std::string> flags = {
      {"host", "MINI_OKTA_HOST"},
      {"port", "MINI_OKTA_PORT"},
      {"base-url", "MINI_OKTA_BASE_URL"},
      {"data", "MINI_OKTA_DATA"},
      {"seed", "MINI_OKTA_SEED"},
      {"rate-limits", "MINI_OKTA_RATE_LIMITS"},
      {"latency-ms", ""},
      {"error-rate", ""},
      {"clock-offset", ""},
      {"force-429", ""},
  };
  return flags;
}

std::optional<double> ToRate(const std::string& s) {
  try {
    size_t used = 0;
    double v = std::stod(s, &used);
    if (used != s.size() || v < 0.0 || v > 1.0) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<bool> ToBool(const std::string& s) {
  if (s == "true" || s == "1" || s.empty()) return true;
  if (s == "false" || s == "0") return false;
  return std::nullopt;
}

// Collects --name=value / --name value pairs; unknown flags become problems.
std::map<std::string, std::string> CollectFlags(const std::vector<std::string>& args, bool* help,
                                                std::vector<std::string>* problems) {
  std::map<std::string, std::string> values;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      *help = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0) {
      problems->push_back("unexpected argument " + arg);
      continue;
    }
    size_t eq = arg.find('=');
    std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    if (!ValueFlags().contains(name)) {
      problems->push_back("unknown flag --" + name);
      continue;
    }
    if (eq != std::string::npos) {
      values[name] = arg.substr(eq + 1);
    } else if (name == "force-429") {
      values[name] = "true";  // a bare switch
    } else if (i + 1 < args.size()) {
      values[name] = args[++i];
    } else {
      problems->push_back("--" + name + " needs a value");
    }
  }
  return values;
}

void ApplyValues(const std::map<std::string, std::string>& v, LaunchConfig* cfg,
                 std::vector<std::string>* problems) {
  auto bad = [problems](const std::string& name, const std::string& why) {
    problems->push_back("--" + name + ": " + why);
  };
  Options& o = cfg->options;
  if (v.contains("host")) o.host = v.at("host");
  if (v.contains("port")) {
    auto port = ParseInteger<int64_t>(v.at("port"));
    if (!port || *port < 0 || *port > 65535)
      bad("port", "must be 0..65535");
    else
      o.port = static_cast<int>(*port);
  }
  if (v.contains("base-url")) o.base_url = v.at("base-url");
  if (v.contains("data")) o.data_file = v.at("data");
  if (v.contains("seed")) o.seed_file = v.at("seed");
  if (v.contains("rate-limits")) {
    const std::string& mode = v.at("rate-limits");
    if (mode != "off" && mode != "developer") bad("rate-limits", "must be off or developer");
    o.developer_rate_limits = mode == "developer";
  }
  if (v.contains("latency-ms")) {
    auto ms = ParseInteger<int64_t>(v.at("latency-ms"));
    if (!ms || *ms < 0)
      bad("latency-ms", "must be a non-negative integer");
    else
      cfg->faults.latency_ms = *ms;
  }
  if (v.contains("error-rate")) {
    auto rate = ToRate(v.at("error-rate"));
    if (!rate)
      bad("error-rate", "must be a number from 0 to 1");
    else
      cfg->faults.error_rate = *rate;
  }
  if (v.contains("force-429")) {
    auto on = ToBool(v.at("force-429"));
    if (!on)
      bad("force-429", "must be true or false");
    else
      cfg->faults.force_429 = *on;
  }
  if (v.contains("clock-offset")) {
    auto seconds = ParseInteger<int64_t>(v.at("clock-offset"));
    if (!seconds)
      bad("clock-offset", "must be an integer number of seconds");
    else
      cfg->faults.clock_offset_seconds = *seconds;
  }
}

}  // namespace

Result<LaunchConfig> ParseCommandLine(const std::vector<std::string>& args, const EnvLookup& env) {
  LaunchConfig cfg;
  std::vector<std::string> problems;
  std::map<std::string, std::string> values = CollectFlags(args, &cfg.show_help, &problems);
  for (const auto& [flag, variable] : ValueFlags()) {
    if (values.contains(flag) || variable.empty()) continue;
    if (auto value = env(variable)) values[flag] = *value;
  }
  ApplyValues(values, &cfg, &problems);
  if (!problems.empty()) {
    std::string detail;
    for (const auto& p : problems) detail += (detail.empty() ? "" : "; ") + p;
    return MakeError(ErrorCode::kInvalidArgument, detail);
  }
  return cfg;
}

std::string UsageText() {
  return "usage: mini-okta [flags]\n"
         "  --host H            listen address (MINI_OKTA_HOST, default 127.0.0.1)\n"
         "  --port N            listen port, 0 = any free port (MINI_OKTA_PORT, default 3001)\n"
         "  --base-url URL      public base URL (MINI_OKTA_BASE_URL, default http://host:port)\n"
         "  --data FILE         JSON data file, kept across restarts (MINI_OKTA_DATA)\n"
         "  --seed FILE         JSON seed used when the data file does not exist (MINI_OKTA_SEED)\n"
         "  --rate-limits M     off | developer (MINI_OKTA_RATE_LIMITS, default off)\n"
         "  --latency-ms N      fault: delay every API/OAuth response by N ms\n"
         "  --error-rate R      fault: answer a share R (0..1) of API/OAuth requests 500/503\n"
         "  --force-429         fault: answer every rate-limited request 429 E0000047\n"
         "  --clock-offset S    fault: shift issued tokens and timestamps by S seconds\n";
}

}  // namespace userdesk::mini_okta
