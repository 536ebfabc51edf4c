// Load and faults on the real stack (scripts/run.sh: nginx, spawn-fcgi, every responder,
// mini-okta): 64 keep-alive connections over every page, signed in and out, while
//   - nothing goes wrong: no error at all, and each responder's memory stays flat;
//   - a responder is killed (SIGKILL): the launcher starts it again, its pages fail only in the
//     gap (nginx's 502 page), and recover;
//   - mini-okta is stopped and started: pages degrade to the stale copy or the app's 503 (never
//     nginx's 502/504, never a hang), and recover once it is back;
//   - a responder keeps dying: the launcher gives up, and the same check reports the errors.
// Durations come from the environment, so `make test` runs a short load and
// bench/load-fault.sh a long one with the same checks (docs/dev-stack.md).
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "integration/browser.h"
#include "integration/stack.h"
#include "load/load_client.h"

namespace userdesk::integration {
namespace {

using load::LoadClient;
using load::Sample;
using load::Target;
using Ms = std::chrono::milliseconds;

// A duration in seconds from the environment (make test's short default otherwise).
int EnvSeconds(const char* name, int fallback) {
  const char* value = std::getenv(name);
  int n = value != nullptr ? std::atoi(value) : 0;
  return n > 0 ? n : fallback;
}

const int kConnections = EnvSeconds("USERDESK_LOAD_CONNECTIONS", 64);
// The steady run, and the load before and after each fault.
const int kSteadySeconds = EnvSeconds("USERDESK_LOAD_SECONDS", 15);
const int kWarmupSeconds = EnvSeconds("USERDESK_LOAD_WARMUP_SECONDS", 4);
const int kAfterSeconds = EnvSeconds("USERDESK_LOAD_AFTER_SECONDS", 3);
const int kOutageSeconds = EnvSeconds("USERDESK_LOAD_OUTAGE_SECONDS", 5);
// A killed responder's pages, and the pages after mini-okta is back, must answer normally
// within this. The launcher's first respawn waits 0.25 s and a responder starts in well under
// a second; a profile copy is re-read at most PROFILE_CACHE_SECONDS (2 here) after mini-okta
// is back. The rest is room for a busy 2-core machine.
constexpr double kRecoveryBoundMs = 10'000;
// A responder's RSS at the end may exceed its RSS after the warm-up by at most this much. The
// warm-up fills the allocator's per-thread arenas and each thread's kept connections; what keeps
// growing after it is a leak. After make test's 4 s warm-up each responder serves thousands of
// requests in the 11 s left, so this catches a leak of about half a KiB per request;
// bench/load-fault.sh's 50 s, tens of thousands of requests, one of under 100 bytes.
constexpr long kRssToleranceKiB = 1024;

const char kSessionCookie[] = "userdesk_session";

// VmRSS of a process in KiB (0 when it is gone).
long RssKiB(int pid) {
  std::istringstream in(ReadFile("/proc/" + std::to_string(pid) + "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

// Waits, bounded, for cond; true once it holds.
bool WaitFor(const std::function<bool()>& cond, Ms limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(Ms(50));
  }
  return cond();
}

// Lets the load run for this long (the load's duration, not a wait for something to happen).
void LoadFor(int seconds) { std::this_thread::sleep_for(std::chrono::seconds(seconds)); }

// What is wrong with a run in which `responder` was killed at kill_ms: every failure must be
// nginx's 502 page for one of that responder's pages, within kRecoveryBoundMs of the kill, and
// the responder's pages must have answered normally again afterwards. Empty when all is well.
std::vector<std::string> GapProblems(const std::vector<Sample>& samples,
                                     const std::vector<Target>& targets,
                                     const std::string& responder, double kill_ms,
                                     double* last_error_ms) {
  std::vector<std::string> problems;
  *last_error_ms = kill_ms;
  for (const Sample& s : samples) {
    if (load::Ok(s, targets)) continue;
    *last_error_ms = std::max(*last_error_ms, s.at_ms);
    const Target& t = targets[s.target];
    bool in_gap = s.at_ms >= kill_ms && s.at_ms <= kill_ms + kRecoveryBoundMs;
    if (t.responder != responder || s.status != 502 || !s.nginx_page || !in_gap) {
      if (problems.size() < 20) {
        char at[64];
        std::snprintf(at, sizeof at, " at %+.0f ms from the kill", s.at_ms - kill_ms);
        problems.push_back(t.name + ": " + load::Describe(s) + at);
      }
    }
  }
  size_t served_after = 0;
  for (const Sample& s : samples) {
    if (s.at_ms > *last_error_ms && targets[s.target].responder == responder &&
        load::Ok(s, targets)) {
      served_after++;
    }
  }
  if (served_after == 0) problems.push_back(responder + "'s pages never answered again");
  return problems;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += "  " + line + "\n";
  return out;
}

class LoadFault : public ::testing::Test {
 protected:
  void SetUp() override {
    Stack::Options options;
    options.extra_env = {
        // The load comes from one address, and /login, /register and /reset-password are a
        // third of it: nginx's sign-in limit (production's 10r/m, tested on its own in
        // tests/integration/rate_limit_stack_test.cc) stays in the path but cannot refuse it.
        {"USERDESK_SIGNIN_RATE", "100000r/s"},
        {"USERDESK_SIGNIN_BURST", "1000"},
        // The responders' per-request info lines would make this a test of the log files.
        {"LOG_LEVEL", "warn"},
    };
    if (!profile_cache_seconds_.empty()) {
      options.extra_env.emplace_back("PROFILE_CACHE_SECONDS", profile_cache_seconds_);
    }
    stack_ = std::make_unique<Stack>(options);
    ASSERT_TRUE(stack_->Start());
    cookie_ = SignInDemo();
    ASSERT_FALSE(cookie_.empty()) << stack_->LauncherOutput();
  }

  void TearDown() override {
    if (HasFailure()) std::printf("launcher output:\n%s\n", stack_->LauncherOutput().c_str());
  }

  // The demo user's session cookie ("userdesk_session=…"), from a real sign-in.
  std::string SignInDemo() {
    Browser browser;
    std::string password = ReadFile(stack_->StateDir() + "/demo-password");
    while (!password.empty() && password.back() == '\n') password.pop_back();
    SignInSteps steps = StartSignIn(browser, *stack_, "demo@example.com", password);
    if (steps.callback.empty()) return "";
    HttpResponse callback = browser.Get(steps.callback);
    if (callback.status != 302 || !browser.Has(kSessionCookie)) return "";
    return std::string(kSessionCookie) + "=" + browser.Value(kSessionCookie);
  }

  // Every page: signed in and out, the static files, the forms, the sign-in redirects and the
  // not-found page. Expected statuses are what a browser gets.
  std::vector<Target> Targets() const {
    return {
        {"home (signed out)", "home", "/", "", {200}},
        {"home (signed in)", "home", "/", cookie_, {200}},
        {"not found", "home", "/no-such-page", "", {404}},
        {"dashboard (signed in)", "dashboard", "/dashboard", cookie_, {200}},
        {"dashboard (signed out)", "dashboard", "/dashboard", "", {302}},
        {"profile form (signed in)", "profile", "/profile", cookie_, {200}},
        {"sign-in redirect", "auth", "/login", "", {302}},
        {"sign-in (signed in)", "auth", "/login?returnTo=%2Fdashboard", cookie_, {302}},
        {"register form", "account", "/register", "", {200}},
        {"reset-password form", "account", "/reset-password", "", {200}},
        {"stylesheet", "nginx", "/static/style.css", "", {200}},
        {"50x page (static)", "nginx", "/static/errors/50x.html", "", {200}},
    };
  }

  LoadClient::Options LoadOptions() const {
    LoadClient::Options options;
    options.base_url = stack_->BaseUrl();
    options.targets = Targets();
    options.connections = kConnections;
    return options;
  }

  int Pid(const std::string& name) const {
    for (const auto& [n, pid] : stack_->Pids()) {
      if (n == name) return pid;
    }
    return 0;
  }

  std::vector<std::string> Responders() const {
    std::vector<std::string> out;
    for (const auto& [name, pid] : stack_->Pids()) {
      if (name != "nginx" && name != "mini-okta") out.push_back(name);
    }
    return out;
  }

  // The launcher's PID, which it keeps in <run dir>/lock (scripts/run.sh).
  int LauncherPid() const { return std::atoi(ReadFile(stack_->StateDir() + "/lock").c_str()); }

  // True once the latest `n` answers for pages matching `which` all arrived after `after_ms`
  // and were normal (and fresh, when fresh is set).
  static bool LatestAreOk(const LoadClient& load, const std::function<bool(const Target&)>& which,
                          double after_ms, size_t n, bool fresh) {
    std::vector<Sample> samples = load.Samples();
    size_t seen = 0;
    for (auto it = samples.rbegin(); it != samples.rend() && seen < n; ++it) {
      if (!which(load.targets()[it->target])) continue;
      if (it->at_ms <= after_ms || !load::Ok(*it, load.targets()) || (fresh && it->stale)) {
        return false;
      }
      seen++;
    }
    return seen == n;
  }

  // Profile copies expire during the run, so the dashboard and the profile form keep reading
  // mini-okta under load, and serve stale copies while it is down ("": the default, 60 s).
  std::string profile_cache_seconds_ = "2";
  std::unique_ptr<Stack> stack_;
  std::string cookie_;
};

// The steady run uses the default profile cache (60 s), as deployed: each responder thread reads
// mini-okta rarely, so the warm-up leaves nothing to grow but a leak. (Without the cache every
// dashboard and profile page would read mini-okta, whose worker threads the responders' kept
// connections then hold: pages wait for HTTP_TIMEOUT_MS.)
class SteadyLoad : public LoadFault {
 protected:
  SteadyLoad() { profile_cache_seconds_.clear(); }
};

TEST_F(SteadyLoad, EveryPageHasNoErrorsAndMemoryStaysFlat) {
  LoadClient load(LoadOptions());
  load.Start();
  LoadFor(kWarmupSeconds);
  std::map<std::string, std::pair<int, long>> warm;  // name -> pid, RSS after the warm-up
  for (const std::string& name : Responders()) warm[name] = {Pid(name), RssKiB(Pid(name))};
  double warm_ms = load.NowMs();
  LoadFor(std::max(1, kSteadySeconds - kWarmupSeconds));
  std::map<std::string, long> end_rss;
  for (const auto& [name, warm_pid] : warm) end_rss[name] = RssKiB(warm_pid.first);
  load.Stop();
  ASSERT_EQ(load.setup_error(), "");

  std::vector<Sample> samples = load.Samples();
  const std::vector<Target>& targets = load.targets();
  std::printf("steady load, %d connections, %d s (RSS compared after %d s of warm-up):\n%s",
              kConnections, kSteadySeconds, kWarmupSeconds,
              load::Summary(samples, targets, load.NowMs() / 1000).c_str());

  std::vector<std::string> errors;
  for (const Sample& s : samples) {
    if (!load::Ok(s, targets) && errors.size() < 20) {
      errors.push_back(targets[s.target].name + ": " + load::Describe(s));
    }
  }
  EXPECT_TRUE(errors.empty()) << "errors under load:\n" << Join(errors);
  std::vector<size_t> per_target(targets.size());
  for (const Sample& s : samples) per_target[s.target]++;
  for (size_t i = 0; i < targets.size(); i++) {
    EXPECT_GE(per_target[i], 50u) << targets[i].name << " was hardly loaded";
  }

  ASSERT_EQ(warm.size(), 5u) << "every responder is built and running";
  for (const auto& [name, warm_pid] : warm) {
    auto [pid, before] = warm_pid;
    long after = end_rss[name];
    size_t served = 0;
    for (const Sample& s : samples) {
      served += s.at_ms > warm_ms && targets[s.target].responder == name ? 1 : 0;
    }
    std::printf(
        "  RSS %-10s after warm-up %6ld KiB, at the end %6ld KiB (%+ld KiB over %zu "
        "requests)\n",
        name.c_str(), before, after, after - before, served);
    EXPECT_EQ(Pid(name), pid) << name << " was restarted during the run";
    EXPECT_GT(after, 0) << name << " is gone";
    EXPECT_LE(after - before, kRssToleranceKiB)
        << name << "'s RSS grew from " << before << " KiB to " << after << " KiB";
  }
  EXPECT_FALSE(Contains(stack_->LauncherOutput(), "died")) << stack_->LauncherOutput();
}

class ResponderKill : public LoadFault, public ::testing::WithParamInterface<const char*> {};

TEST_P(ResponderKill, IsRespawnedAndOnlyItsPagesFailDuringTheGap) {
  const std::string responder = GetParam();
  LoadClient load(LoadOptions());
  load.Start();
  LoadFor(kWarmupSeconds);
  int old_pid = Pid(responder);
  ASSERT_GT(old_pid, 0) << responder << " is not running";
  double kill_ms = load.NowMs();
  ASSERT_EQ(::kill(old_pid, SIGKILL), 0);

  int new_pid = 0;
  bool respawned = WaitFor(
      [&] {
        new_pid = Pid(responder);
        return new_pid != 0 && new_pid != old_pid && ProcessRunning(new_pid);
      },
      Ms(static_cast<long>(kRecoveryBoundMs)));
  double respawn_ms = load.NowMs();
  auto mine = [&](const Target& t) { return t.responder == responder; };
  bool recovered = respawned && WaitFor([&] { return LatestAreOk(load, mine, kill_ms, 20, false); },
                                        Ms(static_cast<long>(kRecoveryBoundMs)));
  LoadFor(kAfterSeconds);
  load.Stop();
  ASSERT_EQ(load.setup_error(), "");

  std::vector<Sample> samples = load.Samples();
  double last_error_ms = 0;
  std::vector<std::string> problems =
      GapProblems(samples, load.targets(), responder, kill_ms, &last_error_ms);
  size_t errors = 0;
  for (const Sample& s : samples) errors += load::Ok(s, load.targets()) ? 0 : 1;
  std::printf(
      "%s killed under load: new pid seen after %.0f ms, %zu errors (nginx's 502) within "
      "%.0f ms of the kill\n%s",
      responder.c_str(), respawn_ms - kill_ms, errors, last_error_ms - kill_ms,
      load::Summary(samples, load.targets(), load.NowMs() / 1000).c_str());

  EXPECT_TRUE(respawned) << responder << " was not started again";
  EXPECT_TRUE(recovered) << responder << "'s pages did not recover";
  EXPECT_TRUE(problems.empty()) << "errors outside the gap or on other pages:\n" << Join(problems);
  std::string output = stack_->LauncherOutput();
  EXPECT_TRUE(Contains(output, responder + " died (signal 9")) << output;
  EXPECT_TRUE(Contains(output, responder + " is running again (pid " + std::to_string(new_pid)))
      << output;
  int status = stack_->Stop();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << Stack::DescribeStatus(status);
  EXPECT_FALSE(ProcessRunning(new_pid)) << "the respawned " << responder << " was stopped too";
}

// home answers most pages (and the not-found page); dashboard holds the profile cache.
INSTANTIATE_TEST_SUITE_P(LoadFault, ResponderKill, ::testing::Values("home", "dashboard"));

TEST_F(LoadFault, MiniOktaStoppedAndStartedDegradesToStaleOr503AndRecovers) {
  int launcher = LauncherPid();
  ASSERT_GT(launcher, 0);
  LoadClient load(LoadOptions());
  load.Start();
  LoadFor(kWarmupSeconds);
  int old_pid = Pid("mini-okta");
  ASSERT_GT(old_pid, 0);

  double down_ms = load.NowMs();
  ASSERT_EQ(::kill(launcher, SIGUSR1), 0);
  ASSERT_TRUE(WaitFor([&] { return !ProcessRunning(old_pid) && Pid("mini-okta") == 0; }, Ms(15000)))
      << "mini-okta did not stop";
  double stopped_ms = load.NowMs();
  EXPECT_FALSE(PortAcceptsConnections(stack_->mini_okta_port()));
  LoadFor(kOutageSeconds);

  double up_ms = load.NowMs();
  ASSERT_EQ(::kill(launcher, SIGUSR2), 0);
  ASSERT_TRUE(WaitFor([&] { return PortAcceptsConnections(stack_->mini_okta_port()); }, Ms(15000)))
      << "mini-okta did not come back";
  double back_ms = load.NowMs();
  auto reads_okta = [](const Target& t) {
    return t.responder == "dashboard" || t.responder == "profile";
  };
  bool recovered = WaitFor([&] { return LatestAreOk(load, reads_okta, back_ms, 20, true); },
                           Ms(static_cast<long>(kRecoveryBoundMs)));
  LoadFor(kAfterSeconds);
  load.Stop();
  ASSERT_EQ(load.setup_error(), "");

  std::vector<Sample> samples = load.Samples();
  const std::vector<Target>& targets = load.targets();
  std::vector<std::string> problems;
  size_t stale = 0, unavailable = 0;
  double last_degraded_ms = back_ms;
  for (const Sample& s : samples) {
    bool degraded = s.stale || s.status == 503;
    if (degraded) last_degraded_ms = std::max(last_degraded_ms, s.at_ms);
    stale += s.stale ? 1 : 0;
    unavailable += s.status == 503 ? 1 : 0;
    bool allowed = load::Ok(s, targets) || (s.status == 503 && !s.nginx_page);
    bool in_outage = s.at_ms >= down_ms && s.at_ms <= back_ms + kRecoveryBoundMs;
    if ((!allowed || (degraded && !in_outage)) && problems.size() < 20) {
      char at[64];
      std::snprintf(at, sizeof at, " at %+.0f ms from the stop", s.at_ms - down_ms);
      problems.push_back(targets[s.target].name + ": " + load::Describe(s) +
                         (s.stale ? " stale copy" : "") + at);
    }
  }
  std::vector<Sample> outage = load::Between(samples, down_ms, up_ms);
  std::printf(
      "mini-okta gone %.0f ms after SIGUSR1, down %.0f ms under load, back %.0f ms after "
      "SIGUSR2; %zu stale copies and %zu 503s, the last %.0f ms after it was back; latency in "
      "the outage p99 %.1f ms, max %.1f ms\n%s",
      stopped_ms - down_ms, up_ms - down_ms, back_ms - up_ms, stale, unavailable,
      last_degraded_ms - back_ms, load::LatencyQuantile(outage, 0.99),
      load::LatencyQuantile(outage, 1.0),
      load::Summary(samples, targets, load.NowMs() / 1000).c_str());

  EXPECT_TRUE(problems.empty()) << "answers other than normal, stale or the app's 503:\n"
                                << Join(problems);
  EXPECT_GT(stale, 0u) << "the outage never reached the profile cache's stale path";
  EXPECT_TRUE(recovered) << "the dashboard and profile pages did not recover";
  EXPECT_LE(last_degraded_ms - back_ms, kRecoveryBoundMs);
  std::string output = stack_->LauncherOutput();
  EXPECT_TRUE(Contains(output, "SIGUSR1: stopping mini-okta")) << output;
  EXPECT_TRUE(Contains(output, "SIGUSR2: mini-okta started again")) << output;
  int new_pid = Pid("mini-okta");
  EXPECT_TRUE(new_pid != 0 && new_pid != old_pid && ProcessRunning(new_pid));
  int status = stack_->Stop();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << Stack::DescribeStatus(status);
  EXPECT_FALSE(ProcessRunning(new_pid)) << "the restarted mini-okta was stopped too";
}

// The check of the kill test can fail: a responder killed each time it comes back makes the
// launcher give up (5 quick deaths) and stop the stack, and GapProblems reports it.
TEST_F(LoadFault, AResponderThatKeepsDyingStopsTheStackAndTheCheckReportsIt) {
  int launcher = LauncherPid();
  ASSERT_GT(launcher, 0);
  LoadClient load(LoadOptions());
  load.Start();
  LoadFor(2);
  double kill_ms = load.NowMs();
  int kills = 0;
  int last_pid = 0;
  bool gave_up = WaitFor(
      [&] {
        int pid = Pid("dashboard");
        if (pid != 0 && pid != last_pid && ProcessRunning(pid)) {
          ::kill(pid, SIGKILL);
          last_pid = pid;
          kills++;
        }
        return !ProcessRunning(launcher);
      },
      Ms(30000));
  LoadFor(1);
  load.Stop();
  ASSERT_TRUE(gave_up) << "the launcher still runs after " << kills << " kills";
  EXPECT_EQ(kills, 5);

  double last_error_ms = 0;
  std::vector<std::string> problems =
      GapProblems(load.Samples(), load.targets(), "dashboard", kill_ms, &last_error_ms);
  EXPECT_FALSE(problems.empty());
  EXPECT_TRUE(std::any_of(problems.begin(), problems.end(), [](const std::string& p) {
    return Contains(p, "never answered");
  })) << Join(problems);
  EXPECT_TRUE(std::any_of(problems.begin(), problems.end(),
                          [](const std::string& p) { return Contains(p, "home"); }))
      << "other pages fail once the stack is down:\n"
      << Join(problems);
  std::string output = stack_->LauncherOutput();
  EXPECT_TRUE(Contains(output, "dashboard died 5 times in a row")) << output;
  int status = stack_->Stop();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << Stack::DescribeStatus(status);
  for (const auto& [name, pid] : stack_->Pids()) {
    EXPECT_FALSE(ProcessRunning(pid)) << name << " " << pid << " outlived the launcher";
  }
}

}  // namespace
}  // namespace userdesk::integration
