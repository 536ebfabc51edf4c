// The operator's endpoints every responder answers, in this one place (RunResponder puts them in
// front of the responder's own handler):
//   GET /-/health/<name>   liveness: 200 {"status":"ok"} while the process serves
//   GET /-/ready/<name>    readiness: 200 or 503, JSON naming each check and the failed ones
//   GET /-/metrics/<name>  the process's metrics in the Prometheus text format (metrics/)
// <name> is the responder's own name: nginx sends /-/…/<name> to that responder's socket
// (nginx/routes.txt), so a misrouted probe is a 404 rather than another responder's answer.
// nginx lets only loopback and the operator's allow-list reach /-/ (docs/operations.md).
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "app/app.h"
#include "health/readiness.h"

namespace userdesk::app {

inline constexpr std::string_view kOpsPrefix = "/-/";

class OpsEndpoints {
 public:
  struct Options {
    const char* name = "";   // the responder's name
    bool calls_idp = false;  // readiness checks the identity provider answers
    bool signs_in = false;   // and that its issuer's discovery was read (auth)
    // Reads the issuer's discovery document now and checks it names the configured issuer; the
    // call itself tells health's contact record how the provider answered. Default: http::Fetch.
    std::function<Status(const config::Config&)> discover;
    std::function<health::Contact()> contact;  // default health::LastContact
    std::function<int64_t()> now_ms;           // default NowUnixMs
  };

  explicit OpsEndpoints(Options options);

  // Whether the path is one of these endpoints' (anything under /-/).
  static bool Handles(std::string_view path) { return path.starts_with(kOpsPrefix); }

  // The answer to a request under /-/, app being the generation serving now (null: none loaded).
  http::Response Answer(const http::Request& request, const App* app);

  // The readiness checks now (asks the provider itself when the responders' own calls say
  // nothing recent, at most once per kMinProbeIntervalMs).
  health::Report Readiness(const App* app);

 private:
  Options options_;
  // One probe at a time, taken with try_lock: a ready check never waits on a thread for another
  // one's probe (a slow provider would hold a request thread per check for up to the probe's
  // timeout), it answers from what is known. Guards last_probe_ms_.
  std::mutex probe_mutex_;
  int64_t last_probe_ms_ = 0;
  std::mutex state_mutex_;  // held only to read or write the two below, never across a probe
  bool discovered_ = false;
  std::string discovery_problem_ = "the issuer's discovery document was not read yet";
};

// OpsEndpoints::Options for a responder with these needs (the real discovery, contact and clock).
OpsEndpoints::Options OpsOptionsFor(const char* name, const config::Requirements& needs);

}  // namespace userdesk::app
