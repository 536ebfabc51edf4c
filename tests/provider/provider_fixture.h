// Shared pieces of the provider tests: an in-process mini-okta on a loopback port, a clock the
// test moves by hand, ProviderOptions for mini-okta's two authorization servers, and a small
// recording OpenID provider (httplib) for answers mini-okta never gives (bad documents, counted
// JWKS fetches, oversized bodies).
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "mini_okta/test_server.h"
#include "oidc/provider.h"
#include "okta/api_call.h"
#include "support/free_port.h"
#include "support/manual_clock.h"
#include "support/wait.h"

namespace userdesk::provider_testing {

// Monotonic seconds that only move when the test says so.
using userdesk::testing::ManualClock;

// Okta clients' options with timeouts short enough for a test of an outage.
inline okta::ClientOptions QuickOktaOptions(const std::string& org_url) {
  okta::ClientOptions options;
  options.org_url = org_url;
  options.http.connect_timeout_ms = 1000;
  options.http.total_timeout_ms = 3000;
  options.http.component = "okta-test";
  return options;
}

inline oidc::ProviderOptions OptionsFor(const std::string& issuer, const ManualClock& clock) {
  oidc::ProviderOptions options;
  options.issuer = issuer;
  options.http.connect_timeout_ms = 1000;
  options.http.total_timeout_ms = 3000;
  options.http.component = "provider-test";
  options.now = clock.Fn();
  return options;
}

class MiniOktaFixture : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(harness_.Start()); }
  // the server stops only after its idle keep-alive connections are gone
  void TearDown() override { http::DropIdleConnections(); }

  std::string BaseUrl() { return harness_.server().base_url(); }
  std::string DefaultIssuer() { return BaseUrl() + "/oauth2/default"; }
  std::string OrgIssuer() { return BaseUrl(); }
  void SetFaults(const mini_okta::FaultSettings& faults) {
    harness_.server().context().faults->Set(faults);
  }
  std::string RotateKey() {
    auto res = harness_.Client().Post("/admin/rotate-key", "{}", "application/json");
    EXPECT_TRUE(res && res->status == 200);
    auto doc = json::ParseObject(res ? res->body : "");
    return doc ? json::GetString(*doc, "kid").value_or("") : "";
  }

  mini_okta::testing::ServerHarness harness_;
  ManualClock clock_;
};

// A loopback HTTP server whose every GET, POST and DELETE goes to one handler, listening from a
// thread of its own until it is destroyed: what the scripted providers of these tests stand on.
class ScriptedServer {
 public:
  explicit ScriptedServer(httplib::Server::Handler handler,
                          const std::function<void(httplib::Server&)>& extra_routes = nullptr) {
    if (extra_routes) extra_routes(server_);
    server_.Get(R"(/.*)", handler);
    server_.Post(R"(/.*)", handler);
    server_.Delete(R"(/.*)", handler);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    EXPECT_TRUE(userdesk::testing::WaitUntil([this] { return server_.is_running(); }))
        << "the scripted server did not start listening";
  }
  ~ScriptedServer() {
    http::DropIdleConnections();
    server_.stop();
    thread_.join();
  }
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

// A tiny OpenID provider whose answers the test sets; it counts and records the requests.
class RecordingProvider {
 public:
  struct Seen {
    std::string method, target, authorization, content_type, body;
  };

  // extra_routes are registered first, before the catch-all answer table.
  explicit RecordingProvider(const std::function<void(httplib::Server&)>& extra_routes = {})
      : server_([this](const httplib::Request& req, httplib::Response& res) { Record(req, res); },
                extra_routes) {}

  std::string BaseUrl() const { return server_.BaseUrl(); }
  void Answer(const std::string& path, int status, const std::string& body,
              const std::string& content_type = "application/json") {
    std::lock_guard<std::mutex> lock(mu_);
    answers_[path] = {status, body, content_type};
  }
  int Hits(const std::string& path) {
    std::lock_guard<std::mutex> lock(mu_);
    return hits_[path];
  }
  Seen Last(const std::string& path) {
    std::lock_guard<std::mutex> lock(mu_);
    return last_[path];
  }
  // A discovery document for issuer BaseUrl() whose endpoints are all on this server.
  std::string Discovery() const {
    std::string b = BaseUrl();
    return R"({"issuer":")" + b + R"(","authorization_endpoint":")" + b +
           R"(/authorize","token_endpoint":")" + b + R"(/token","jwks_uri":")" + b +
           R"(/keys","userinfo_endpoint":")" + b + R"(/userinfo"})";
  }

 private:
  void Record(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu_);
    hits_[req.path]++;
    last_[req.path] = {req.method, req.target, req.get_header_value("Authorization"),
                       req.get_header_value("Content-Type"), req.body};
    auto it = answers_.find(req.path);
    if (it == answers_.end()) {
      res.status = 404;
      return;
    }
    res.status = it->second.status;
    res.set_content(it->second.body, it->second.content_type.c_str());
  }

  struct Canned {
    int status;
    std::string body, content_type;
  };
  std::mutex mu_;
  std::map<std::string, Canned> answers_;
  std::map<std::string, int> hits_;
  std::map<std::string, Seen> last_;
  ScriptedServer server_;  // last: it stops, and its thread ends, before the tables go
};

}  // namespace userdesk::provider_testing
