#include "app/ops_endpoints.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "json/json.h"
#include "metrics/requests.h"
#include "support/prometheus_text.h"

namespace userdesk::app {
namespace {

App MakeApp() {
  config::Config cfg;
  cfg.app_secret = "0123456789abcdef-test";
  cfg.host_url = "https://id.example.com";
  cfg.issuer = "https://org.example/oauth2/default";
  auto templates = view::Templates::FromSources({{"layout", "{{{content}}}"}});
  EXPECT_TRUE(templates.ok());
  return App{"auth", cfg, std::move(*templates),
             session::SessionCodec(session::CodecOptions{cfg.app_secret, "", true, 60})};
}

http::Request Get(std::string path) {
  http::Request r;
  r.method = "GET";
  r.path = std::move(path);
  return r;
}

// A provider made of variables: the clock, what the responders' calls recorded, and whether the
// issuer's discovery answers (each probe counted; an answer or a failure recorded as a call would).
struct FakeProvider {
  int64_t now = 1'800'000'000'000;
  health::Contact contact;
  bool up = true;
  int probes = 0;

  OpsEndpoints::Options Options(const char* name, bool calls_idp, bool signs_in) {
    OpsEndpoints::Options o;
    o.name = name;
    o.calls_idp = calls_idp;
    o.signs_in = signs_in;
    o.now_ms = [this] { return now; };
    o.contact = [this] { return contact; };
    o.discover = [this](const config::Config& cfg) -> Status {
      probes++;
      EXPECT_EQ(cfg.issuer, "https://org.example/oauth2/default");
      if (!up) {
        contact.last_failure_ms = now;
        return MakeError(ErrorCode::kUnavailable, "discovery: connection refused");
      }
      contact.last_answer_ms = now;
      return OkStatus();
    };
    return o;
  }
};

std::string HeaderOf(const http::Response& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "";
}

std::optional<json::Document> Body(const http::Response& r) { return json::ParseObject(r.body); }

TEST(OpsEndpoints, HandlesOnlyTheOpsPrefix) {
  EXPECT_TRUE(OpsEndpoints::Handles("/-/health/home"));
  EXPECT_TRUE(OpsEndpoints::Handles("/-/anything"));
  EXPECT_FALSE(OpsEndpoints::Handles("/health"));
  EXPECT_FALSE(OpsEndpoints::Handles("/-"));
  EXPECT_FALSE(OpsEndpoints::Handles("/login"));
}

TEST(OpsEndpoints, HealthIsOkWithoutAskingAnyone) {
  FakeProvider idp;
  idp.up = false;
  OpsEndpoints ops(idp.Options("auth", true, true));
  App app = MakeApp();
  http::Response r = ops.Answer(Get("/-/health/auth"), &app);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(HeaderOf(r, "Content-Type"), "application/json");
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-store");
  auto body = Body(r);
  ASSERT_TRUE(body);
  EXPECT_EQ(json::GetString(*body, "status"), "ok");
  EXPECT_EQ(idp.probes, 0) << "liveness never depends on Okta";
}

TEST(OpsEndpoints, AnotherRespondersNameOrAnUnknownEndpointIsNotFound) {
  FakeProvider idp;
  OpsEndpoints ops(idp.Options("home", false, false));
  App app = MakeApp();
  for (const char* path : {"/-/health/auth", "/-/health/", "/-/health", "/-/ready/home/x",
                           "/-/status/home", "/-/", "/-/metrics/homes"}) {
    EXPECT_EQ(ops.Answer(Get(path), &app).status, 404) << path;
  }
  http::Request post = Get("/-/health/home");
  post.method = "POST";
  EXPECT_EQ(ops.Answer(post, &app).status, 405);
}

TEST(OpsEndpoints, ResponderWithoutTheProviderIsReadyOnItsConfigAlone) {
  FakeProvider idp;
  idp.up = false;
  OpsEndpoints ops(idp.Options("home", false, false));
  App app = MakeApp();
  http::Response r = ops.Answer(Get("/-/ready/home"), &app);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(idp.probes, 0);
  EXPECT_EQ(ops.Answer(Get("/-/ready/home"), nullptr).status, 503) << "no configuration loaded";
}

TEST(OpsEndpoints, SignInIsReadyOnceTheIssuerIsDiscoveredAndOktaAnswers) {
  FakeProvider idp;
  OpsEndpoints ops(idp.Options("auth", true, true));
  App app = MakeApp();
  http::Response r = ops.Answer(Get("/-/ready/auth"), &app);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(idp.probes, 1);
  // the responder's own calls keep it informed: no probe while they answer
  idp.now += 5000;
  idp.contact.last_answer_ms = idp.now;
  EXPECT_EQ(ops.Answer(Get("/-/ready/auth"), &app).status, 200);
  EXPECT_EQ(idp.probes, 1);
}

TEST(OpsEndpoints, OktaDownIsNotReadyNamingTheFailedChecks) {
  FakeProvider idp;
  idp.up = false;
  OpsEndpoints ops(idp.Options("auth", true, true));
  App app = MakeApp();
  http::Response r = ops.Answer(Get("/-/ready/auth"), &app);
  EXPECT_EQ(r.status, 503) << r.body;
  auto body = Body(r);
  ASSERT_TRUE(body);
  EXPECT_EQ(json::GetString(*body, "status"), "not ready");
  std::string failed = json::Write(*json::GetArray(*body, "failed"));
  EXPECT_EQ(failed, R"(["okta","issuer"])");
  EXPECT_NE(r.body.find("connection refused"), std::string::npos) << r.body;

  // asked again at once: the last probe's verdict, not another call
  EXPECT_EQ(ops.Answer(Get("/-/ready/auth"), &app).status, 503);
  EXPECT_EQ(idp.probes, 1);
  // back up, after the probe interval: ready again
  idp.up = true;
  idp.now += health::kMinProbeIntervalMs;
  EXPECT_EQ(ops.Answer(Get("/-/ready/auth"), &app).status, 200);
  EXPECT_EQ(idp.probes, 2);
}

TEST(OpsEndpoints, ApiRespondersNeedOktaAnsweringOnly) {
  FakeProvider idp;
  OpsEndpoints ops(idp.Options("dashboard", true, false));
  App app = MakeApp();
  idp.contact.last_answer_ms = idp.now - 1000;
  EXPECT_EQ(ops.Answer(Get("/-/ready/dashboard"), &app).status, 200);
  EXPECT_EQ(idp.probes, 0) << "a recent answer is enough";
  // the responder's last call failed: readiness asks once, Okta is down, not ready
  idp.up = false;
  idp.contact.last_failure_ms = idp.now;
  http::Response r = ops.Answer(Get("/-/ready/dashboard"), &app);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(idp.probes, 1);
  auto body = Body(r);
  ASSERT_TRUE(body);
  EXPECT_EQ(json::Write(*json::GetArray(*body, "failed")), R"(["okta"])");
}

// A probe of a slow provider holds one request thread for up to its timeout; a check that
// comes meanwhile answers from what is known at once, asking nothing and waiting for nothing,
// so ready checks of a slow Okta cannot take every thread.
TEST(OpsEndpoints, ACheckDuringAProbeAnswersAtOnceWithoutWaitingForIt) {
  FakeProvider provider;
  provider.contact.last_failure_ms = provider.now;  // Okta failing: a check wants a probe
  OpsEndpoints::Options options = provider.Options("auth", true, true);
  std::mutex gate;
  std::unique_lock held(gate);  // the provider answers once this is released
  std::atomic<bool> probing{false};
  options.discover = [&](const config::Config&) -> Status {
    provider.probes++;
    probing = true;
    std::lock_guard wait(gate);
    return OkStatus();
  };
  OpsEndpoints ops(std::move(options));
  App app = MakeApp();
  std::thread slow([&] { ops.Readiness(&app); });
  while (!probing) std::this_thread::yield();
  provider.now += 5000;  // past the probe interval: only the probe under way stops a second one
  auto started = std::chrono::steady_clock::now();
  health::Report meanwhile = ops.Readiness(&app);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(500));
  EXPECT_EQ(provider.probes, 1);
  EXPECT_FALSE(meanwhile.ready()) << "not ready: Okta failed, the issuer not yet discovered";
  held.unlock();
  slow.join();
  EXPECT_EQ(provider.probes, 1);
}

TEST(OpsEndpoints, MetricsAreThePrometheusText) {
  FakeProvider idp;
  OpsEndpoints ops(idp.Options("profile", true, false));
  App app = MakeApp();
  metrics::RecordRequest("/profile", 200, 0.001);
  http::Response r = ops.Answer(Get("/-/metrics/profile"), &app);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(HeaderOf(r, "Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  auto text = userdesk::testing::ParsePrometheusText(r.body);
  EXPECT_EQ(text.error, "");
  EXPECT_GE(text.Value("userdesk_http_requests_total{code=\"200\",route=\"/profile\"}").value_or(0),
            1);
  EXPECT_EQ(idp.probes, 0);
}

}  // namespace
}  // namespace userdesk::app
