// A MiniOktaServer on a free loopback port for one test, plus an httplib client that talks to
// it over real HTTP. Header-only so every mini-okta test file can share it.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <string>

#include "json/json.h"
#include "mini_okta/server/server.h"

namespace userdesk::mini_okta::testing {

inline constexpr char kApiToken[] = "00test-api-token-0123456789";
inline constexpr char kDemoPassword[] = "Demo-Passw0rd!";

// A seed with one ACTIVE demo user, one API token and a custom attribute.
inline std::string DefaultSeed() {
  return R"({
    "users": [{"id": "00udemo0000000000001", "status": "ACTIVE", "password": "Demo-Passw0rd!",
               "profile": {"login": "demo@example.com", "email": "demo@example.com",
                           "firstName": "Demo", "lastName": "User"}}],
    "clients": [{"client_id": "0oaclient", "client_secret": "secret", "client_name": "Web",
                 "redirect_uris": ["http://localhost:8080/callback"],
                 "post_logout_redirect_uris": ["http://localhost:8080/"]}],
    "apiTokens": ["00test-api-token-0123456789"],
    "customProperties": {"favoriteColor": {"title": "Favorite color", "type": "string",
                                           "maxLength": 20}}
  })";
}

// A create-user body for login (also the email) with an optional password.
inline std::string NewUserBody(const std::string& login, const std::string& password = "",
                               const std::string& extra_profile = "") {
  std::string body = R"({"profile":{"login":")" + login + R"(","email":")" + login +
                     R"(","firstName":"Ada","lastName":"Lovelace")" + extra_profile + "}";
  if (!password.empty()) body += R"(,"credentials":{"password":{"value":")" + password + R"("}})";
  return body + "}";
}

class ServerHarness {
 public:
  explicit ServerHarness(Options options = {}, FaultSettings faults = {},
                         const std::string& seed = DefaultSeed()) {
    options.host = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<MiniOktaServer>(options, faults);
    seed_ = seed;
  }

  // Starts the server; seeds it when it has no data file of its own yet.
  void Start() {
    Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.error().detail;
    if (!seed_.empty() && server_->store().users().List().empty()) {
      Status seeded = server_->store().LoadSeed(seed_);
      ASSERT_TRUE(seeded.ok()) << seeded.error().detail;
    }
  }

  MiniOktaServer& server() { return *server_; }
  Store& store() { return server_->store(); }

  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_read_timeout(10, 0);
    // tests pass paths already encoded as browsers send them ('+' for a space); httplib would
    // otherwise re-encode '+' to %2B
    client.set_url_encode(false);
    return client;
  }

  // Creates a user over the API and returns its id ("" after a failed assertion).
  std::string CreateUser(const std::string& login,
                         const std::string& password = "Str0ng-Passphrase", bool activate = true) {
    auto res = Client().Post(std::string("/api/v1/users?activate=") + (activate ? "true" : "false"),
                             ApiHeaders(), NewUserBody(login, password), "application/json");
    EXPECT_TRUE(res);
    if (!res) return "";
    EXPECT_EQ(res->status, 200) << res->body;
    auto doc = json::ParseObject(res->body);
    return doc ? json::GetString(*doc, "id").value_or("") : "";
  }

  httplib::Result ApiGet(const std::string& path) { return Client().Get(path, ApiHeaders()); }
  httplib::Result ApiPost(const std::string& path, const std::string& body = "{}") {
    return Client().Post(path, ApiHeaders(), body, "application/json");
  }
  httplib::Result ApiPut(const std::string& path, const std::string& body) {
    return Client().Put(path, ApiHeaders(), body, "application/json");
  }
  httplib::Result ApiDelete(const std::string& path) { return Client().Delete(path, ApiHeaders()); }

  httplib::Headers ApiHeaders() const {
    return {{"Authorization", std::string("SSWS ") + kApiToken}, {"Accept", "application/json"}};
  }

 private:
  std::unique_ptr<MiniOktaServer> server_;
  std::string seed_;
};

inline json::Document ParseBody(const httplib::Result& res) {
  auto doc = json::Parse(res ? res->body : "");
  EXPECT_TRUE(doc.has_value()) << (res ? res->body : "no response");
  return doc ? std::move(*doc) : json::Document();
}

inline std::string StringAt(const json::Value& obj, std::string_view key) {
  return json::GetString(obj, key).value_or("<missing>");
}

// Asserts an Okta error object with the given status and code; returns its errorSummary.
inline std::string ExpectOktaError(const httplib::Result& res, int status,
                                   const std::string& code) {
  EXPECT_TRUE(res) << "no response";
  if (!res) return "";
  EXPECT_EQ(res->status, status) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  json::Document doc = ParseBody(res);
  EXPECT_EQ(json::GetString(doc, "errorCode").value_or(""), code);
  EXPECT_EQ(json::GetString(doc, "errorLink").value_or(""), code);
  EXPECT_EQ(json::GetString(doc, "errorId").value_or("").substr(0, 3), "oae");
  EXPECT_NE(json::GetArray(doc, "errorCauses"), nullptr);
  return json::GetString(doc, "errorSummary").value_or("");
}

// The errorSummary of every errorCause.
inline std::vector<std::string> ErrorCauses(const httplib::Result& res) {
  std::vector<std::string> out;
  json::Document doc = ParseBody(res);
  if (const json::Value* causes = json::GetArray(doc, "errorCauses")) {
    for (const auto& c : causes->GetArray()) {
      out.push_back(json::GetString(c, "errorSummary").value_or(""));
    }
  }
  return out;
}

}  // namespace userdesk::mini_okta::testing
