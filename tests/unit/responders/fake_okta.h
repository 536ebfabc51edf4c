// For handler tests that need Okta's answers but not Okta: a loopback HTTP server (cpp-httplib)
// answering the user schema and one user from JSON the test gives, and counting the calls.
// Unit tests may fake Okta; the integration suites never do.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>

#include "config/config.h"
#include "http/http_client.h"

namespace userdesk::testing {

class FakeOkta {
 public:
  // schema: GET /api/v1/meta/schemas/user/default's body; user: GET /api/v1/users/<id>'s and,
  // merged by the handler's save, POST's answer.
  FakeOkta(std::string schema, std::string user)
      : schema_(std::move(schema)), user_(std::move(user)) {
    server_.Get("/api/v1/meta/schemas/user/default",
                [this](const httplib::Request&, httplib::Response& r) {
                  schema_reads_++;
                  std::lock_guard lock(mutex_);
                  r.set_content(schema_, "application/json");
                });
    server_.Get(R"(/api/v1/users/([^/]+))", [this](const httplib::Request&, httplib::Response& r) {
      user_reads_++;
      std::lock_guard lock(mutex_);
      r.set_content(user_, "application/json");
    });
    server_.Post(R"(/api/v1/users/([^/]+))",
                 [this](const httplib::Request& q, httplib::Response& r) {
                   std::lock_guard lock(mutex_);
                   last_update_ = q.body;
                   r.set_content(user_, "application/json");
                 });
    port_ = server_.bind_to_any_port("127.0.0.1");  // listening before the test's first call
    EXPECT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeOkta() {
    http::DropIdleConnections();  // else the server waits out this thread's kept connection
    server_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int schema_reads() const { return schema_reads_; }
  int user_reads() const { return user_reads_; }
  std::string last_update() {
    std::lock_guard lock(mutex_);
    return last_update_;
  }
  void SetSchema(std::string schema) {
    std::lock_guard lock(mutex_);
    schema_ = std::move(schema);
  }

  // A config whose ORG_URL is this server, with short timeouts.
  config::Config Config() const {
    config::Config cfg;
    cfg.org_url = url();
    cfg.user_profile_token = "00test-token";
    cfg.http_connect_timeout_ms = 1000;
    cfg.http_timeout_ms = 2000;
    return cfg;
  }

 private:
  std::mutex mutex_;
  std::string schema_, user_, last_update_;
  std::atomic<int> schema_reads_{0}, user_reads_{0};
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

// A Schemas API document with these base and custom property objects (JSON object texts).
inline std::string SchemaJson(const std::string& base_properties,
                              const std::string& custom_properties) {
  return R"({"id":"x","definitions":{"base":{"id":"#base","type":"object","properties":)" +
         base_properties +
         R"(,"required":[]},"custom":{"id":"#custom","type":"object","properties":)" +
         custom_properties + R"(,"required":[]}}})";
}

// Base attributes of the tutorial's form as the Schemas API shows them, all READ_WRITE but login
// and email (which the form never writes whatever they say), for tests to add to.
inline constexpr char kTutorialBase[] =
    R"({"login":{"title":"Username","type":"string","permissions":[{"principal":"SELF","action":"READ_ONLY"}]},)"
    R"("email":{"title":"Primary email","type":"string","format":"email","permissions":[{"principal":"SELF","action":"READ_WRITE"}]},)"
    R"("firstName":{"title":"First name","type":"string","maxLength":50,"permissions":[{"principal":"SELF","action":"READ_WRITE"}]},)"
    R"("lastName":{"title":"Last name","type":"string","maxLength":50,"permissions":[{"principal":"SELF","action":"READ_WRITE"}]},)"
    R"("city":{"title":"City","type":"string","permissions":[{"principal":"SELF","action":"READ_WRITE"}]}})";

// The demo user 00u1 with this profile (a JSON object text).
inline std::string UserJson(const std::string& profile) {
  return R"({"id":"00u1","status":"ACTIVE","lastUpdated":"2026-01-01T00:00:00.000Z","profile":)" +
         profile + "}";
}

}  // namespace userdesk::testing
