// The operator's endpoints through the real stack: every responder's /-/health, /-/ready and
// /-/metrics via nginx; readiness when mini-okta is stopped (the launcher's SIGUSR1) and after it
// is back (SIGUSR2); the allow-list, tested from a second loopback address.
//
// How the refusal is real: Linux routes all of 127.0.0.0/8 to the loopback interface, so a client
// that binds its socket to 127.0.0.2 before connecting to nginx on 127.0.0.1 is seen by nginx as
// $remote_addr 127.0.0.2, which is neither loopback's 127.0.0.1 nor on the list. The stack is
// started with USERDESK_OPS_ALLOW=127.0.0.3, so the same kind of client from 127.0.0.3 shows the
// operator's list letting an address in. No header is trusted for this.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "integration/stack.h"
#include "json/json.h"
#include "support/prometheus_text.h"
#include "support/wait.h"

namespace userdesk::integration {
namespace {

using userdesk::testing::ParsePrometheusText;
using userdesk::testing::PrometheusText;
using userdesk::testing::WaitUntil;

const std::vector<std::string> kResponders{"home", "auth", "dashboard", "profile", "account"};
// the responders whose readiness depends on the identity provider (home's does not)
const std::vector<std::string> kCallIdp{"auth", "dashboard", "profile", "account"};

class OpsStack : public StackTest {
 protected:
  static void SetUpTestSuite() {
    Stack::Options options;
    options.extra_env = {{"USERDESK_OPS_ALLOW", "127.0.0.3"}};
    StartStack(std::move(options));
  }

  static HttpResponse From(const std::string& source, const std::string& path) {
    HttpRequest request;
    request.url = stack_->Url(path);
    request.source_address = source;
    return Fetch(request);
  }

  static PrometheusText Scrape(const std::string& name) {
    HttpResponse r = Get(stack_->Url("/-/metrics/" + name));
    EXPECT_EQ(r.status, 200) << r.error << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    PrometheusText text = ParsePrometheusText(r.body);
    EXPECT_EQ(text.error, "") << name << "'s metrics:\n" << r.body;
    return text;
  }

  static int ReadyStatus(const std::string& name) {
    return static_cast<int>(Get(stack_->Url("/-/ready/" + name)).status);
  }

  // The launcher's PID, which it keeps in <run dir>/lock (scripts/run.sh).
  static int LauncherPid() { return std::atoi(ReadFile(stack_->StateDir() + "/lock").c_str()); }
};

TEST_F(OpsStack, EveryResponderAnswersHealthAndReadyThroughNginx) {
  for (const std::string& name : kResponders) {
    HttpResponse health = Get(stack_->Url("/-/health/" + name));
    ASSERT_EQ(health.status, 200) << name << " " << health.error << health.body;
    EXPECT_EQ(health.Header("Content-Type"), "application/json") << name;
    auto live = json::ParseObject(health.body);
    ASSERT_TRUE(live) << health.body;
    EXPECT_EQ(json::GetString(*live, "status"), "ok");
    EXPECT_EQ(json::GetString(*live, "responder"), name) << "nginx sent it to " << health.body;

    HttpResponse ready = Get(stack_->Url("/-/ready/" + name));
    EXPECT_EQ(ready.status, 200) << name << ": " << ready.body;
    auto verdict = json::ParseObject(ready.body);
    ASSERT_TRUE(verdict) << ready.body;
    EXPECT_EQ(json::GetString(*verdict, "status"), "ready") << ready.body;
    EXPECT_EQ(json::GetString(*verdict, "responder"), name);
    EXPECT_EQ(ready.Header("Cache-Control"), "no-store");
  }
  // sign-in's readiness includes its issuer's discovery
  EXPECT_TRUE(Contains(Get(stack_->Url("/-/ready/auth")).body, R"("name":"issuer","ok":true)"));
  for (const char* path : {"/-/health/nobody", "/-/health/", "/-/status/home", "/-/"}) {
    EXPECT_EQ(Get(stack_->Url(path)).status, 404) << path;
  }
}

TEST_F(OpsStack, OnlyLoopbackAndTheAllowListReachTheOpsEndpoints) {
  for (const std::string& name : kResponders) {
    for (const char* kind : {"health", "ready", "metrics"}) {
      std::string path = "/-/" + std::string(kind) + "/" + name;
      HttpResponse outsider = From("127.0.0.2", path);
      EXPECT_EQ(outsider.status, 403) << path << " from 127.0.0.2: " << outsider.error;
      EXPECT_FALSE(Contains(outsider.body, "userdesk_")) << outsider.body;
      HttpResponse listed = From("127.0.0.3", path);
      EXPECT_EQ(listed.status, 200) << path << " from 127.0.0.3: " << listed.error << listed.body;
    }
  }
  // the pages themselves are for everyone
  EXPECT_EQ(From("127.0.0.2", "/").status, 200);
  // nginx saw the outsider's own address (the access log names the client first)
  EXPECT_TRUE(WaitUntil([] { return Contains(stack_->Log("access"), "127.0.0.2 ["); }))
      << stack_->Log("access");
}

TEST_F(OpsStack, MetricsParseAsPrometheusTextAndCountersMove) {
  // A family is served once it has a series: a responder's first request makes its request
  // counters', so each gets a health check first, which its metrics then count as route "ops".
  for (const std::string& name : kResponders) {
    ASSERT_EQ(Get(stack_->Url("/-/health/" + name)).status, 200) << name;
    PrometheusText text = Scrape(name);
    EXPECT_GE(text.Value(R"(userdesk_http_requests_total{code="200",route="ops"})").value_or(0), 1)
        << name;
    EXPECT_EQ(text.types["userdesk_http_requests_total"], "counter") << name;
    EXPECT_EQ(text.types["userdesk_http_request_duration_seconds"], "histogram") << name;
    EXPECT_TRUE(text.Value("userdesk_threads_busy")) << name;
  }
  const std::string home_ok = R"(userdesk_http_requests_total{code="200",route="/"})";
  double before = Scrape("home").Value(home_ok).value_or(0);
  for (int i = 0; i < 3; i++) ASSERT_EQ(Get(stack_->Url("/")).status, 200);
  PrometheusText after = Scrape("home");
  EXPECT_EQ(after.Value(home_ok).value_or(0), before + 3);
  EXPECT_GE(after.Value(R"(userdesk_http_request_duration_seconds_count{route="/"})").value_or(0),
            before + 3);
  // a raw path is never a label: an unknown page counts as route "other"
  std::string other = R"(userdesk_http_requests_total{code="404",route="other"})";
  double others = after.Value(other).value_or(0);
  ASSERT_EQ(Get(stack_->Url("/no-such-page-xyz")).status, 404);
  PrometheusText later = Scrape("home");
  EXPECT_EQ(later.Value(other).value_or(0), others + 1);
  for (const auto& [series, value] : later.samples) {
    EXPECT_FALSE(Contains(series, "no-such-page")) << series;
  }

  // a sign-in's first step asks the provider: the auth responder counts its discovery call
  const std::string discovery = R"(userdesk_okta_requests_total{code="200",endpoint="discovery"})";
  double calls = Scrape("auth").Value(discovery).value_or(0);
  HttpResponse login = Get(stack_->Url("/login"));
  ASSERT_EQ(login.status, 302) << login.body;
  EXPECT_GE(Scrape("auth").Value(discovery).value_or(0), calls > 0 ? calls : 1);
}

TEST_F(OpsStack, MetricsPassPromtoolsOwnCheck) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "promtool is not installed (Debian package prometheus; make deps)";
  }
  for (const std::string& name : kResponders) {
    HttpResponse r = Get(stack_->Url("/-/metrics/" + name));
    ASSERT_EQ(r.status, 200);
    std::string file = stack_->StateDir() + "/metrics-" + name + ".txt";
    {
      std::FILE* out = std::fopen(file.c_str(), "w");
      ASSERT_NE(out, nullptr);
      std::fwrite(r.body.data(), 1, r.body.size(), out);
      std::fclose(out);
    }
    std::string command = "promtool check metrics < '" + file + "' > '" + file + ".out' 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0) << name << ": " << ReadFile(file + ".out");
  }
}

TEST_F(OpsStack, NotReadyWhileMiniOktaIsDownAndReadyAgainAfter) {
  if (!stack_->MiniOktaBuilt()) GTEST_SKIP() << "mini-okta is not built";
  int launcher = LauncherPid();
  ASSERT_GT(launcher, 0);
  for (const std::string& name : kResponders) ASSERT_EQ(ReadyStatus(name), 200) << name;

  ASSERT_EQ(::kill(launcher, SIGUSR1), 0);
  ASSERT_TRUE(WaitUntil([] { return !PortAcceptsConnections(stack_->mini_okta_port()); },
                        std::chrono::seconds(15)))
      << "mini-okta did not stop";
  // Each responder notices at its next check past its last good answer (health/readiness.h).
  for (const std::string& name : kCallIdp) {
    EXPECT_TRUE(WaitUntil([&] { return ReadyStatus(name) == 503; }, std::chrono::seconds(30)))
        << name << " still says ready with mini-okta down";
    HttpResponse r = Get(stack_->Url("/-/ready/" + name));
    auto body = json::ParseObject(r.body);
    ASSERT_TRUE(body) << r.body;
    EXPECT_EQ(json::GetString(*body, "status"), "not ready");
    const json::Value* failed = json::GetArray(*body, "failed");
    ASSERT_NE(failed, nullptr) << r.body;
    EXPECT_TRUE(Contains(json::Write(*failed), "\"okta\"")) << r.body;
    EXPECT_FALSE(Contains(json::Write(*failed), "config")) << r.body;
  }
  EXPECT_TRUE(Contains(Get(stack_->Url("/-/ready/auth")).body, R"("name":"issuer","ok":false)"));
  // liveness and the responder without the provider are not affected
  EXPECT_EQ(ReadyStatus("home"), 200);
  for (const std::string& name : kResponders) {
    EXPECT_EQ(Get(stack_->Url("/-/health/" + name)).status, 200) << name;
  }
  // the failed calls are counted as such
  PrometheusText auth = Scrape("auth");
  EXPECT_GE(
      auth.Value(R"(userdesk_okta_requests_total{code="error",endpoint="discovery"})").value_or(0),
      1);

  ASSERT_EQ(::kill(launcher, SIGUSR2), 0);
  ASSERT_TRUE(WaitUntil([] { return PortAcceptsConnections(stack_->mini_okta_port()); },
                        std::chrono::seconds(15)))
      << "mini-okta did not start again";
  for (const std::string& name : kCallIdp) {
    EXPECT_TRUE(WaitUntil([&] { return ReadyStatus(name) == 200; }, std::chrono::seconds(15)))
        << name << " not ready again after mini-okta came back: "
        << Get(stack_->Url("/-/ready/" + name)).body;
  }
}

}  // namespace
}  // namespace userdesk::integration
