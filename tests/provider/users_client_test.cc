// okta::UsersClient over real loopback HTTP: mini-okta for the Users API itself (reads, partial
// updates, Okta's validation errors, faults, forced 429s), and a scripted server for the answers
// mini-okta never gives (a 429 whose reset is close, duplicated reset headers, broken bodies).
#include "okta/users_client.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <deque>
#include <thread>

#include "base/iso_time.h"
#include "provider_fixture.h"

namespace userdesk::provider_testing {
namespace {

namespace mt = mini_okta::testing;

constexpr char kDemoId[] = "00udemo0000000000001";

using Clock = std::chrono::steady_clock;

class UsersClientTest : public MiniOktaFixture {
 protected:
  // ORG_URL as an admin may write it, with a trailing slash
  okta::UsersClient Client() { return okta::UsersClient(QuickOktaOptions(BaseUrl() + "/")); }
};

TEST_F(UsersClientTest, GetsASeededUser) {
  okta::OktaResult<okta::User> user = Client().GetUser(mt::kApiToken, kDemoId);
  ASSERT_TRUE(user.ok()) << user.error().error.detail;
  EXPECT_EQ(user->id, kDemoId);
  EXPECT_EQ(user->status, "ACTIVE");
  EXPECT_EQ(user->Attribute("login"), "demo@example.com");
  EXPECT_EQ(user->Attribute("email"), "demo@example.com");
  EXPECT_EQ(user->Attribute("firstName"), "Demo");
  EXPECT_EQ(user->Attribute("lastName"), "User");
  EXPECT_EQ(user->Attribute("favoriteColor"), "");
  EXPECT_FALSE(user->last_updated.empty());
  EXPECT_EQ(ParseIsoTimestampMs(user->last_updated), user->last_updated_ms);
  EXPECT_GT(user->last_updated_ms, 1'600'000'000'000);
}

TEST_F(UsersClientTest, GetsAUserByEscapedLogin) {
  okta::OktaResult<okta::User> user = Client().GetUser(mt::kApiToken, "demo@example.com");
  ASSERT_TRUE(user.ok()) << user.error().error.detail;
  EXPECT_EQ(user->id, kDemoId);
}

TEST_F(UsersClientTest, AnUnknownIdIsNotFound) {
  okta::OktaResult<okta::User> user = Client().GetUser(mt::kApiToken, "00unobody");
  ASSERT_FALSE(user.ok());
  const okta::Failure& failure = user.error();
  EXPECT_EQ(failure.error.code, ErrorCode::kNotFound);
  ASSERT_TRUE(failure.okta.has_value());
  EXPECT_EQ(failure.okta->http_status, 404);
  EXPECT_EQ(failure.okta->error_code, "E0000007");
  EXPECT_EQ(failure.okta->error_id.substr(0, 3), "oae");
  // the detail names the call, the status and Okta's ids, never the token
  EXPECT_NE(failure.error.detail.find("GET /api/v1/users/00unobody 404 E0000007"),
            std::string::npos)
      << failure.error.detail;
  EXPECT_NE(failure.error.detail.find("errorId=" + failure.okta->error_id), std::string::npos);
  EXPECT_EQ(failure.error.detail.find(mt::kApiToken), std::string::npos);
  EXPECT_EQ(failure.retry_after_seconds, 0);
}

TEST_F(UsersClientTest, AWrongTokenIsAnUpstreamProblemNotTheUsers) {
  okta::OktaResult<okta::User> user = Client().GetUser("00wrong-token", kDemoId);
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.error().error.code, ErrorCode::kUpstreamUnavailable);
  ASSERT_TRUE(user.error().okta.has_value());
  EXPECT_EQ(user.error().okta->http_status, 401);
  EXPECT_EQ(user.error().okta->error_code, "E0000011");
  EXPECT_EQ(user.error().error.detail.find("00wrong-token"), std::string::npos);
}

TEST_F(UsersClientTest, UpdatesOnlyTheNamedAttributes) {
  okta::UsersClient client = Client();
  okta::OktaResult<okta::User> before = client.GetUser(mt::kApiToken, kDemoId);
  ASSERT_TRUE(before.ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(5));  // lastUpdated has ms resolution

  okta::OktaResult<okta::User> first = client.UpdateProfile(
      mt::kApiToken, kDemoId, {{"city", "Paris"}, {"favoriteColor", "blue"}, {"nickName", "D"}});
  ASSERT_TRUE(first.ok()) << first.error().error.detail;
  EXPECT_EQ(first->Attribute("city"), "Paris");
  EXPECT_EQ(first->Attribute("favoriteColor"), "blue");
  EXPECT_EQ(first->Attribute("nickName"), "D");
  EXPECT_EQ(first->Attribute("firstName"), "Demo");
  EXPECT_EQ(first->Attribute("lastName"), "User");
  EXPECT_EQ(first->Attribute("login"), "demo@example.com");
  EXPECT_GT(first->last_updated_ms, before->last_updated_ms);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));

  // null clears; attributes not named keep their value
  okta::OktaResult<okta::User> second = client.UpdateProfile(
      mt::kApiToken, kDemoId, {{"city", std::nullopt}, {"firstName", "Ada & <Co>"}});
  ASSERT_TRUE(second.ok()) << second.error().error.detail;
  EXPECT_EQ(second->profile.count("city"), 0u);
  EXPECT_EQ(second->Attribute("firstName"), "Ada & <Co>");
  EXPECT_EQ(second->Attribute("favoriteColor"), "blue");
  EXPECT_EQ(second->Attribute("nickName"), "D");
  EXPECT_EQ(second->Attribute("lastName"), "User");
  EXPECT_EQ(second->Attribute("email"), "demo@example.com");
  EXPECT_GT(second->last_updated_ms, first->last_updated_ms);

  // what was written is what a later read sees
  okta::OktaResult<okta::User> after = client.GetUser(mt::kApiToken, kDemoId);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->profile, second->profile);
  EXPECT_EQ(after->last_updated, second->last_updated);
}

TEST_F(UsersClientTest, ABlankRequiredAttributeIsUnprocessableWithItsCause) {
  okta::OktaResult<okta::User> updated =
      Client().UpdateProfile(mt::kApiToken, kDemoId, {{"firstName", ""}});
  ASSERT_FALSE(updated.ok());
  const okta::Failure& failure = updated.error();
  EXPECT_EQ(failure.error.code, ErrorCode::kUnprocessable);
  ASSERT_TRUE(failure.okta.has_value());
  EXPECT_EQ(failure.okta->http_status, 400);
  EXPECT_EQ(failure.okta->error_code, "E0000001");
  ASSERT_EQ(failure.okta->causes.size(), 1u);
  EXPECT_EQ(failure.okta->causes[0].rfind("firstName: ", 0), 0u) << failure.okta->causes[0];
  EXPECT_NE(failure.error.detail.find("POST /api/v1/users/" + std::string(kDemoId) + " 400"),
            std::string::npos)
      << failure.error.detail;

  // nothing was changed
  okta::OktaResult<okta::User> user = Client().GetUser(mt::kApiToken, kDemoId);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->Attribute("firstName"), "Demo");
}

TEST_F(UsersClientTest, AnAttributeNoLongerInTheSchemaIsUnprocessable) {
  auto removed = harness_.ApiPost("/api/v1/meta/schemas/user/default",
                                  R"({"definitions":{"custom":{"id":"#custom","type":"object",)"
                                  R"("properties":{"favoriteColor":null}}}})");
  ASSERT_TRUE(removed);
  ASSERT_EQ(removed->status, 200) << removed->body;

  okta::OktaResult<okta::User> updated =
      Client().UpdateProfile(mt::kApiToken, kDemoId, {{"favoriteColor", "red"}});
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().error.code, ErrorCode::kUnprocessable);
  ASSERT_TRUE(updated.error().okta.has_value());
  EXPECT_EQ(updated.error().okta->error_code, "E0000001");
  bool named = false;
  for (const std::string& cause : updated.error().okta->causes) {
    named = named || cause.find("favoriteColor") != std::string::npos;
  }
  EXPECT_TRUE(named) << ::testing::PrintToString(updated.error().okta->causes);
}

TEST_F(UsersClientTest, ServerErrorsAreUnavailable) {
  SetFaults({.error_rate = 1.0});
  okta::OktaResult<okta::User> user = Client().GetUser(mt::kApiToken, kDemoId);
  SetFaults({});
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.error().error.code, ErrorCode::kUnavailable) << user.error().error.detail;
  ASSERT_TRUE(user.error().okta.has_value());
  EXPECT_GE(user.error().okta->http_status, 500);
}

TEST_F(UsersClientTest, ASlowOktaIsDeadlineExceeded) {
  SetFaults({.latency_ms = 1500});
  okta::ClientOptions options = QuickOktaOptions(BaseUrl());
  options.http.total_timeout_ms = 300;
  auto start = Clock::now();
  okta::OktaResult<okta::User> user = okta::UsersClient(options).GetUser(mt::kApiToken, kDemoId);
  auto elapsed = Clock::now() - start;
  SetFaults({});
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.error().error.code, ErrorCode::kDeadlineExceeded) << user.error().error.detail;
  EXPECT_FALSE(user.error().okta.has_value());
  EXPECT_LT(elapsed, std::chrono::milliseconds(1200));
}

// mini-okta's forced 429 resets with its window, a minute away: far beyond the wait bound.
TEST_F(UsersClientTest, A429WithAFarResetFailsAtOnce) {
  SetFaults({.force_429 = true});
  okta::UsersClient client = Client();
  auto start = Clock::now();
  okta::OktaResult<okta::User> got = client.GetUser(mt::kApiToken, kDemoId);
  okta::OktaResult<okta::User> updated =
      client.UpdateProfile(mt::kApiToken, kDemoId, {{"nickName", "x"}});
  auto elapsed = Clock::now() - start;
  SetFaults({});
  for (const auto* result : {&got, &updated}) {
    ASSERT_FALSE(result->ok());
    EXPECT_EQ(result->error().error.code, ErrorCode::kRateLimited);
    ASSERT_TRUE(result->error().okta.has_value());
    EXPECT_EQ(result->error().okta->error_code, "E0000047");
    EXPECT_GT(result->error().retry_after_seconds, 2);
    EXPECT_LE(result->error().retry_after_seconds, 63);  // a minute, plus rounding and slack
  }
  EXPECT_LT(elapsed, std::chrono::milliseconds(1000));  // no wait, no retry
  // the write was refused, not applied
  okta::OktaResult<okta::User> user = client.GetUser(mt::kApiToken, kDemoId);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->Attribute("nickName"), "");
}

okta::NewUser Ada(std::string password = "Analytical-Engine-1843") {
  return {{{"login", "ada@example.com"},
           {"email", "ada@example.com"},
           {"firstName", "Ada"},
           {"lastName", "Lovelace"}},
          std::move(password)};
}

TEST_F(UsersClientTest, CreatesAnActiveUserWhoCanBeFoundByLogin) {
  okta::UsersClient client = Client();
  okta::OktaResult<okta::User> created = client.CreateUser(mt::kApiToken, Ada(), true);
  ASSERT_TRUE(created.ok()) << created.error().error.detail;
  EXPECT_EQ(created->status, "ACTIVE");
  EXPECT_EQ(created->Attribute("firstName"), "Ada");
  okta::OktaResult<okta::User> found = client.GetUser(mt::kApiToken, "ada@example.com");
  ASSERT_TRUE(found.ok()) << found.error().error.detail;
  EXPECT_EQ(found->id, created->id);
  EXPECT_EQ(found->Attribute("lastName"), "Lovelace");
}

// Pages of `limit` users, each naming the next with Link rel="next", until the last names none.
TEST_F(UsersClientTest, ListsEveryUserPageByPage) {
  okta::UsersClient client = Client();
  for (int i = 0; i < 4; ++i) harness_.CreateUser("u" + std::to_string(i) + "@example.com");
  std::vector<std::string> ids;
  int pages = 0;
  okta::OktaResult<okta::UsersPage> page = client.ListUsers(mt::kApiToken, {"", 2});
  while (true) {
    ASSERT_TRUE(page.ok()) << page.error().error.detail;
    ++pages;
    EXPECT_LE(page->users.size(), 2u);
    for (const okta::User& user : page->users) ids.push_back(user.id);
    if (page->next.empty()) break;
    EXPECT_TRUE(page->next.starts_with(BaseUrl() + "/api/v1/users?")) << page->next;
    page = client.NextUsers(mt::kApiToken, page->next);
  }
  EXPECT_EQ(ids.size(), 5u);  // the seeded demo user and four more
  EXPECT_EQ(pages, 3);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));  // mini-okta pages in id order
}

TEST_F(UsersClientTest, ListsWithASearchDeactivatedUsersIncluded) {
  okta::UsersClient client = Client();
  std::string id = harness_.CreateUser("gone@example.com");
  ASSERT_TRUE(client.ChangeStatus(mt::kApiToken, id, okta::Lifecycle::kDeactivate).ok());
  okta::OktaResult<okta::UsersPage> all = client.ListUsers(mt::kApiToken, {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->users.size(), 1u);  // without a search Okta leaves deactivated users out
  okta::OktaResult<okta::UsersPage> gone =
      client.ListUsers(mt::kApiToken, {"status eq \"DEPROVISIONED\"", 200});
  ASSERT_TRUE(gone.ok()) << gone.error().error.detail;
  ASSERT_EQ(gone->users.size(), 1u);
  EXPECT_EQ(gone->users[0].id, id);
  EXPECT_EQ(gone->users[0].status, "DEPROVISIONED");
  EXPECT_TRUE(gone->next.empty());
  okta::OktaResult<okta::UsersPage> bad = client.ListUsers(mt::kApiToken, {"status eq", 200});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().okta->error_code, "E0000031");
}

// docs/okta-api.md §2.7: each operation from the statuses it applies to, and Okta's refusals.
TEST_F(UsersClientTest, ChangesStatusesAsOktasLifecycleAllows) {
  okta::UsersClient client = Client();
  auto status = [&] { return client.GetUser(mt::kApiToken, kDemoId)->status; };
  auto change = [&](okta::Lifecycle op) { return client.ChangeStatus(mt::kApiToken, kDemoId, op); };
  ASSERT_TRUE(change(okta::Lifecycle::kSuspend).ok());
  EXPECT_EQ(status(), "SUSPENDED");
  okta::OktaResult<bool> again = change(okta::Lifecycle::kSuspend);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().error.code, ErrorCode::kUnprocessable);
  EXPECT_EQ(again.error().okta->error_code, "E0000001");
  ASSERT_TRUE(change(okta::Lifecycle::kUnsuspend).ok());
  EXPECT_EQ(status(), "ACTIVE");
  size_t emails = harness_.store().outbox().List().size();
  ASSERT_TRUE(change(okta::Lifecycle::kResetPassword).ok());
  EXPECT_EQ(status(), "RECOVERY");
  EXPECT_EQ(harness_.store().outbox().List().size(), emails + 1);  // sendEmail=true: mailed
  ASSERT_TRUE(change(okta::Lifecycle::kDeactivate).ok());
  EXPECT_EQ(status(), "DEPROVISIONED");
  okta::OktaResult<bool> twice = change(okta::Lifecycle::kDeactivate);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().okta->http_status, 403);
  EXPECT_EQ(twice.error().okta->error_code, "E0000038");
  ASSERT_TRUE(change(okta::Lifecycle::kActivate).ok());
  EXPECT_EQ(status(), "ACTIVE");  // the demo user has a password
  okta::OktaResult<bool> active = change(okta::Lifecycle::kActivate);
  ASSERT_FALSE(active.ok());
  EXPECT_EQ(active.error().okta->error_code, "E0000016");
  EXPECT_FALSE(change(okta::Lifecycle::kReactivate).ok());  // only PROVISIONED or RECOVERY
}

TEST_F(UsersClientTest, DeleteDeactivatesFirstThenDeletes) {
  okta::UsersClient client = Client();
  ASSERT_TRUE(client.DeleteUser(mt::kApiToken, kDemoId).ok());
  EXPECT_EQ(client.GetUser(mt::kApiToken, kDemoId)->status, "DEPROVISIONED");
  ASSERT_TRUE(client.DeleteUser(mt::kApiToken, kDemoId).ok());
  EXPECT_EQ(client.GetUser(mt::kApiToken, kDemoId).error().error.code, ErrorCode::kNotFound);
  EXPECT_EQ(client.DeleteUser(mt::kApiToken, kDemoId).error().error.code, ErrorCode::kNotFound);
}

TEST_F(UsersClientTest, ATakenLoginIsUnprocessableWithTheLoginCause) {
  okta::UsersClient client = Client();
  ASSERT_TRUE(client.CreateUser(mt::kApiToken, Ada(), true).ok());
  okta::OktaResult<okta::User> again = client.CreateUser(mt::kApiToken, Ada(), true);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().error.code, ErrorCode::kUnprocessable);
  ASSERT_TRUE(again.error().okta.has_value());
  ASSERT_EQ(again.error().okta->causes.size(), 1u);
  EXPECT_EQ(again.error().okta->causes[0],
            "login: An object with this field already exists in the current organization");
}

TEST_F(UsersClientTest, AWeakPasswordIsUnprocessableWithThePasswordCauseAndNeverLogged) {
  okta::OktaResult<okta::User> weak = Client().CreateUser(mt::kApiToken, Ada("lovelace1"), true);
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().error.code, ErrorCode::kUnprocessable);
  ASSERT_TRUE(weak.error().okta.has_value());
  ASSERT_FALSE(weak.error().okta->causes.empty());
  EXPECT_TRUE(
      weak.error().okta->causes[0].starts_with("password: Password requirements were not met"))
      << weak.error().okta->causes[0];
  EXPECT_EQ(weak.error().error.detail.find("lovelace1"), std::string::npos);
  // nothing was created
  EXPECT_EQ(Client().GetUser(mt::kApiToken, "ada@example.com").error().error.code,
            ErrorCode::kNotFound);
}

// --- a scripted Users API for what mini-okta never answers ---

std::string HttpDateNow(std::time_t now) {
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

constexpr char kScriptedUser[] =
    R"({"id":"00uscripted","status":"ACTIVE","lastUpdated":"2024-05-20T16:02:44.000Z",)"
    R"("profile":{"login":"ada@example.com","firstName":"Ada","lastName":"Lovelace"}})";
constexpr char kRateLimitedBody[] =
    R"({"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many )"
    R"(requests.","errorLink":"E0000047","errorId":"oaeRateLimited","errorCauses":[]})";

// Answers requests with a script of responses (the last one repeats) and records each request.
class ScriptedOkta {
 public:
  using Answer = std::function<void(httplib::Response&)>;
  struct Seen {
    std::string method, target, authorization, accept, content_type, user_agent, retry_count,
        retry_for, body;
  };

  ScriptedOkta()
      : server_([this](const httplib::Request& req, httplib::Response& res) { Serve(req, res); }) {}

  std::string BaseUrl() const { return server_.BaseUrl(); }
  void Script(std::deque<Answer> answers) {
    std::lock_guard<std::mutex> lock(mu_);
    script_ = std::move(answers);
  }
  std::vector<Seen> Requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

  // 429 E0000047 whose X-Rate-Limit-Reset is the response's own Date plus offset seconds, sent
  // `copies` times (Okta has been seen to duplicate it).
  static Answer RateLimited(int offset_seconds, int copies = 1) {
    return [=](httplib::Response& res) {
      std::time_t now = std::time(nullptr);
      res.status = 429;
      res.set_header("Date", HttpDateNow(now));
      res.set_header("X-Okta-Request-Id", "reqRateLimited");
      res.set_header("X-Rate-Limit-Limit", "100");
      res.set_header("X-Rate-Limit-Remaining", "0");
      for (int i = 0; i < copies; ++i) {
        res.set_header("X-Rate-Limit-Reset", std::to_string(now + offset_seconds));
      }
      res.set_content(kRateLimitedBody, "application/json");
    };
  }
  static Answer Raw(int status, std::string body, std::string content_type = "application/json") {
    return [=](httplib::Response& res) {
      res.status = status;
      res.set_content(body, content_type.c_str());
    };
  }
  static Answer User() { return Raw(200, kScriptedUser); }

 private:
  // Records the request, then plays the script's next answer (the last one repeats).
  void Serve(const httplib::Request& req, httplib::Response& res) {
    Answer answer;
    {
      std::lock_guard<std::mutex> lock(mu_);
      seen_.push_back({req.method, req.target, req.get_header_value("Authorization"),
                       req.get_header_value("Accept"), req.get_header_value("Content-Type"),
                       req.get_header_value("User-Agent"),
                       req.get_header_value("X-Okta-Retry-Count"),
                       req.get_header_value("X-Okta-Retry-For"), req.body});
      if (script_.empty()) {
        res.status = 500;
        return;
      }
      answer = script_.front();
      if (script_.size() > 1) script_.pop_front();
    }
    answer(res);
  }

  std::mutex mu_;
  std::deque<Answer> script_;
  std::vector<Seen> seen_;
  ScriptedServer server_;  // last: it stops, and its thread ends, before the script goes
};

TEST(UsersClientScriptedTest, SendsTheTokenAndJsonHeadersToTheEscapedPath) {
  ScriptedOkta okta;
  okta.Script({ScriptedOkta::User()});
  okta::UsersClient client(QuickOktaOptions(okta.BaseUrl()));
  ASSERT_TRUE(client.GetUser("00token", "ada@example.com/x?y#z").ok());
  okta::OktaResult<okta::User> updated =
      client.UpdateProfile("00token", "00uscripted",
                           {{"city", std::nullopt}, {"firstName", "A\"da\n"}, {"city", "Paris"}});
  ASSERT_TRUE(updated.ok()) << updated.error().error.detail;

  std::vector<ScriptedOkta::Seen> seen = okta.Requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].target, "/api/v1/users/ada%40example.com%2Fx%3Fy%23z");
  EXPECT_EQ(seen[0].authorization, "SSWS 00token");
  EXPECT_EQ(seen[0].accept, "application/json");
  EXPECT_EQ(seen[0].content_type, "");
  EXPECT_EQ(seen[0].user_agent, "userdesk");
  EXPECT_EQ(seen[0].body, "");
  EXPECT_EQ(seen[1].method, "POST");
  EXPECT_EQ(seen[1].target, "/api/v1/users/00uscripted");
  EXPECT_EQ(seen[1].authorization, "SSWS 00token");
  EXPECT_EQ(seen[1].content_type, "application/json");
  // a name given twice is sent once, with its last value; JSON built by RapidJSON
  auto body = json::ParseObject(seen[1].body);
  ASSERT_TRUE(body.has_value()) << seen[1].body;
  const json::Value* profile = json::GetObject(*body, "profile");
  ASSERT_NE(profile, nullptr) << seen[1].body;
  EXPECT_EQ(profile->MemberCount(), 2u) << seen[1].body;
  EXPECT_EQ(json::GetString(*profile, "city"), "Paris");
  EXPECT_EQ(json::GetString(*profile, "firstName"), "A\"da\n");

  // a cleared attribute is sent as null
  ASSERT_TRUE(client.UpdateProfile("00token", "00uscripted", {{"city", std::nullopt}}).ok());
  seen = okta.Requests();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[2].body, R"({"profile":{"city":null}})");
}

TEST(UsersClientScriptedTest, CreateSendsItsFlagsAndIsNeverRetried) {
  ScriptedOkta okta;
  okta.Script({ScriptedOkta::RateLimited(0), ScriptedOkta::User()});
  okta::UsersClient client(QuickOktaOptions(okta.BaseUrl()));
  okta::OktaResult<okta::User> created = client.CreateUser("00token", Ada("S3cret-pass"), true);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().error.code, ErrorCode::kRateLimited);
  EXPECT_EQ(created.error().error.detail.find("S3cret-pass"), std::string::npos);

  std::vector<ScriptedOkta::Seen> seen = okta.Requests();
  ASSERT_EQ(seen.size(), 1u);  // no retry of a write
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].target, "/api/v1/users?activate=true");
  EXPECT_EQ(seen[0].content_type, "application/json");
  auto body = json::ParseObject(seen[0].body);
  ASSERT_TRUE(body.has_value()) << seen[0].body;
  const json::Value* profile = json::GetObject(*body, "profile");
  ASSERT_NE(profile, nullptr);
  EXPECT_EQ(json::GetString(*profile, "login"), "ada@example.com");
  const json::Value* credentials = json::GetObject(*body, "credentials");
  ASSERT_NE(credentials, nullptr) << seen[0].body;
  const json::Value* password = json::GetObject(*credentials, "password");
  ASSERT_NE(password, nullptr) << seen[0].body;
  EXPECT_EQ(json::GetString(*password, "value"), "S3cret-pass");

  // without a password, no credentials are sent (Okta then mails an activation link)
  okta.Script({ScriptedOkta::User()});
  ASSERT_TRUE(client.CreateUser("00token", Ada(""), false).ok());
  seen = okta.Requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].target, "/api/v1/users?activate=false");
  EXPECT_EQ(seen[1].body.find("credentials"), std::string::npos) << seen[1].body;
}

TEST(UsersClientScriptedTest, AGetIsRetriedOnceAfterA429WithACloseReset) {
  ScriptedOkta okta;
  okta.Script({ScriptedOkta::RateLimited(0), ScriptedOkta::User()});
  auto start = Clock::now();
  okta::OktaResult<okta::User> user =
      okta::UsersClient(QuickOktaOptions(okta.BaseUrl())).GetUser("00token", "00uscripted");
  auto elapsed = Clock::now() - start;
  ASSERT_TRUE(user.ok()) << user.error().error.detail;
  EXPECT_EQ(user->id, "00uscripted");
  std::vector<ScriptedOkta::Seen> seen = okta.Requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].retry_count, "");
  EXPECT_EQ(seen[1].retry_count, "1");
  EXPECT_EQ(seen[1].retry_for, "reqRateLimited");
  EXPECT_EQ(seen[1].authorization, "SSWS 00token");
  // reset = Date, so the wait is the one second of slack
  EXPECT_GE(elapsed, std::chrono::milliseconds(950));
}

TEST(UsersClientScriptedTest, AGetIsRetriedAtMostMaxRetriesTimes) {
  ScriptedOkta okta;
  okta.Script({ScriptedOkta::RateLimited(0)});
  okta::ClientOptions options = QuickOktaOptions(okta.BaseUrl());
  okta::OktaResult<okta::User> user = okta::UsersClient(options).GetUser("00token", "00uscripted");
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.error().error.code, ErrorCode::kRateLimited);
  EXPECT_EQ(user.error().retry_after_seconds, 1);
  EXPECT_EQ(okta.Requests().size(), 2u);  // max_retries = 1

  options.max_retries = 0;
  okta::OktaResult<okta::User> again = okta::UsersClient(options).GetUser("00token", "00uscripted");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().error.code, ErrorCode::kRateLimited);
  EXPECT_EQ(okta.Requests().size(), 3u);
}

TEST(UsersClientScriptedTest, DuplicatedResetHeadersAreNeverRetried) {
  ScriptedOkta okta;
  okta.Script({ScriptedOkta::RateLimited(0, 2), ScriptedOkta::User()});
  okta::OktaResult<okta::User> user =
      okta::UsersClient(QuickOktaOptions(okta.BaseUrl())).GetUser("00token", "00uscripted");
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.error().error.code, ErrorCode::kRateLimited);
  EXPECT_EQ(user.error().retry_after_seconds, 0);  // unknown
  ASSERT_TRUE(user.error().okta.has_value());
  EXPECT_EQ(user.error().okta->error_code, "E0000047");
  EXPECT_EQ(okta.Requests().size(), 1u);
}

TEST(UsersClientScriptedTest, AWriteIsNeverRetried) {
  ScriptedOkta okta;
  okta.Script({ScriptedOkta::RateLimited(0), ScriptedOkta::User()});
  okta::OktaResult<okta::User> updated =
      okta::UsersClient(QuickOktaOptions(okta.BaseUrl()))
          .UpdateProfile("00token", "00uscripted", {{"firstName", "Ada"}});
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().error.code, ErrorCode::kRateLimited);
  EXPECT_EQ(updated.error().retry_after_seconds, 1);
  EXPECT_EQ(okta.Requests().size(), 1u);
}

TEST(UsersClientScriptedTest, StatusesMapToTheAppsErrorCodes) {
  struct Case {
    int status;
    std::string body;
    ErrorCode code;
    bool okta_object;
  };
  const std::string error = R"({"errorCode":"E0000099","errorSummary":"x","errorId":"oae1"})";
  for (const Case& c : std::vector<Case>{
           {200, "<html>ok</html>", ErrorCode::kUpstreamUnavailable, false},
           {200, R"({"id":"00u1"})", ErrorCode::kUpstreamUnavailable, false},
           {204, "", ErrorCode::kUpstreamUnavailable, false},
           {302, "", ErrorCode::kUpstreamUnavailable, false},
           {400, R"({"errorCode":"E0000003","errorSummary":"bad JSON"})",
            ErrorCode::kUpstreamUnavailable, true},
           {400, R"({"errorCode":"E0000001","errorSummary":"Api validation failed: x"})",
            ErrorCode::kUnprocessable, true},
           {403, R"({"errorCode":"E0000006","errorSummary":"no permission"})",
            ErrorCode::kUpstreamUnavailable, true},
           {405, error, ErrorCode::kUpstreamUnavailable, true},
           {409, R"({"errorCode":"E0000112","errorSummary":"activating"})",
            ErrorCode::kAlreadyExists, true},
           {429, "", ErrorCode::kRateLimited, false},
           {500, error, ErrorCode::kUnavailable, true},
           {502, "<html>Bad Gateway</html>", ErrorCode::kUnavailable, false},
           {503, "", ErrorCode::kUnavailable, false},
       }) {
    ScriptedOkta okta;
    okta.Script({ScriptedOkta::Raw(c.status, c.body)});
    okta::OktaResult<okta::User> user =
        okta::UsersClient(QuickOktaOptions(okta.BaseUrl())).GetUser("00token", "00u1");
    ASSERT_FALSE(user.ok()) << c.status << " " << c.body;
    EXPECT_EQ(user.error().error.code, c.code) << c.status << " " << c.body;
    EXPECT_EQ(user.error().okta.has_value(), c.okta_object) << c.status << " " << c.body;
    EXPECT_EQ(okta.Requests().size(), 1u) << c.status;
  }
}

// The next page's link is followed on ORG_URL only: its host is never sent the token.
TEST(UsersClientScriptedTest, NextPagesGoToOrgUrlWhateverHostTheLinkNames) {
  ScriptedOkta okta;
  okta.Script({[](httplib::Response& res) {
                 res.status = 200;
                 res.set_header("Link",
                                "<https://elsewhere.example/api/v1/users?limit=1>; "
                                "rel=\"self\"");
                 res.set_header("Link",
                                "<https://elsewhere.example/api/v1/users?after=00u1&"
                                "limit=1>; rel=\"next\"");
                 res.set_content(std::string("[") + kScriptedUser + "]", "application/json");
               },
               ScriptedOkta::Raw(200, "[]")});
  okta::UsersClient client(QuickOktaOptions(okta.BaseUrl()));
  okta::OktaResult<okta::UsersPage> first =
      client.ListUsers("00token", {"profile.x eq \"a b\"", 1});
  ASSERT_TRUE(first.ok()) << first.error().error.detail;
  ASSERT_EQ(first->users.size(), 1u);
  EXPECT_EQ(first->next, "https://elsewhere.example/api/v1/users?after=00u1&limit=1");
  okta::OktaResult<okta::UsersPage> second = client.NextUsers("00token", first->next);
  ASSERT_TRUE(second.ok()) << second.error().error.detail;
  EXPECT_TRUE(second->users.empty());
  EXPECT_TRUE(second->next.empty());
  std::vector<ScriptedOkta::Seen> seen = okta.Requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].target, "/api/v1/users?search=profile.x+eq+%22a+b%22&limit=1");
  EXPECT_EQ(seen[1].target, "/api/v1/users?after=00u1&limit=1");
  EXPECT_EQ(seen[1].authorization, "SSWS 00token");
  // a link to another path is refused without a request
  okta::OktaResult<okta::UsersPage> other =
      client.NextUsers("00token", okta.BaseUrl() + "/api/v1/groups?after=x");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().error.code, ErrorCode::kUpstreamUnavailable);
  EXPECT_EQ(okta.Requests().size(), 2u);
}

TEST(UsersClientScriptedTest, LifecycleCallsAskOktaToSendTheEmails) {
  ScriptedOkta okta;
  okta.Script({ScriptedOkta::Raw(200, "{}")});
  okta::UsersClient client(QuickOktaOptions(okta.BaseUrl()));
  using L = okta::Lifecycle;
  for (L op : {L::kActivate, L::kReactivate, L::kDeactivate, L::kSuspend, L::kUnsuspend,
               L::kResetPassword}) {
    ASSERT_TRUE(client.ChangeStatus("00token", "00u1", op).ok());
  }
  ASSERT_TRUE(client.DeleteUser("00token", "00u1").ok());
  std::vector<std::string> targets;
  for (const ScriptedOkta::Seen& seen : okta.Requests())
    targets.push_back(seen.method + " " + seen.target);
  EXPECT_EQ(targets, (std::vector<std::string>{
                         "POST /api/v1/users/00u1/lifecycle/activate?sendEmail=true",
                         "POST /api/v1/users/00u1/lifecycle/reactivate?sendEmail=true",
                         "POST /api/v1/users/00u1/lifecycle/deactivate",
                         "POST /api/v1/users/00u1/lifecycle/suspend",
                         "POST /api/v1/users/00u1/lifecycle/unsuspend",
                         "POST /api/v1/users/00u1/lifecycle/reset_password?sendEmail=true",
                         "DELETE /api/v1/users/00u1",
                     }));
}

TEST(UsersClientScriptedTest, AnUnreachableOktaIsUnavailable) {
  okta::OktaResult<okta::User> user =
      okta::UsersClient(QuickOktaOptions("http://127.0.0.1:" +
                                         std::to_string(userdesk::testing::FreeLoopbackPort())))
          .GetUser("00token", "00u1");
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.error().error.code, ErrorCode::kUnavailable);
  EXPECT_EQ(user.error().error.detail.find("00token"), std::string::npos);
}

}  // namespace
}  // namespace userdesk::provider_testing
