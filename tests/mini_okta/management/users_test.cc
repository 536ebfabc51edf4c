// The management API's users endpoints over real HTTP: authentication, read, create (schema and
// password policy), update, and list (limit/after, q, filter).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "mini_okta/management/okta_time.h"
#include "mini_okta/test_server.h"

namespace userdesk::mini_okta {
namespace {

using testing::ErrorCauses;
using testing::ExpectOktaError;
using testing::NewUserBody;
using testing::ParseBody;
using testing::ServerHarness;
using testing::StringAt;

class UsersApiTest : public ::testing::Test {
 protected:
  void SetUp() override { h_.Start(); }
  ServerHarness h_;
};

TEST_F(UsersApiTest, MissingTokenIs401E0000011) {
  auto res = h_.Client().Get("/api/v1/users");
  EXPECT_EQ(ExpectOktaError(res, 401, "E0000011"), "Invalid token provided");
}

// A token limited to Okta custom-role permissions (the seed's {"value", "permissions"}) does only
// what they allow: one that may create users cannot read, change or delete them (403 E0000006),
// and that survives a restart from the data file.
TEST(UsersApiPermissions, ACreateOnlyTokenCreatesAndReadsNothing) {
  std::string dir = ::testing::TempDir() + "mini-okta-perm-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  Options options;
  options.data_file = dir + "/data.json";
  for (int run = 0; run < 2; run++) {  // seeded, then from the data file
    std::string seed =
        R"({"users":[],"apiTokens":[{"value":"00create-only-token-012345","permissions":["okta.users.create"]},"00super-admin-token-0123456"]})";
    ServerHarness h(options, {}, run == 0 ? seed : "");
    h.Start();
    httplib::Headers create_only = {{"Authorization", "SSWS 00create-only-token-012345"},
                                    {"Accept", "application/json"}};
    std::string login = "limited" + std::to_string(run) + "@example.com";
    auto created = h.Client().Post("/api/v1/users?activate=false", create_only, NewUserBody(login),
                                   "application/json");
    ASSERT_TRUE(created) << run;
    ASSERT_EQ(created->status, 200) << created->body;
    std::string id = StringAt(ParseBody(created), "id");
    ExpectOktaError(h.Client().Get("/api/v1/users/" + id, create_only), 403, "E0000006");
    ExpectOktaError(h.Client().Get("/api/v1/users", create_only), 403, "E0000006");
    ExpectOktaError(h.Client().Post("/api/v1/users/" + id, create_only,
                                    R"({"profile":{"city":"x"}})", "application/json"),
                    403, "E0000006");
    ExpectOktaError(h.Client().Get("/api/v1/meta/schemas/user/default", create_only), 403,
                    "E0000006");
    auto admin = h.Client().Get("/api/v1/users/" + id,
                                {{"Authorization", "SSWS 00super-admin-token-0123456"}});
    ASSERT_TRUE(admin);
    EXPECT_EQ(admin->status, 200) << admin->body;
  }
  std::filesystem::remove_all(dir);
}

TEST_F(UsersApiTest, WrongTokenIs401E0000011) {
  auto res = h_.Client().Get("/api/v1/users", {{"Authorization", "SSWS not-a-token"}});
  ExpectOktaError(res, 401, "E0000011");
  res = h_.Client().Get("/api/v1/users",
                        {{"Authorization", std::string("Bearer ") + testing::kApiToken}});
  ExpectOktaError(res, 401, "E0000011");
}

TEST_F(UsersApiTest, GetByIdAndByLogin) {
  auto by_id = h_.ApiGet("/api/v1/users/00udemo0000000000001");
  ASSERT_TRUE(by_id);
  ASSERT_EQ(by_id->status, 200);
  EXPECT_EQ(by_id->get_header_value("Content-Type"), "application/json");
  auto by_login = h_.ApiGet("/api/v1/users/demo%40example.com");
  ASSERT_TRUE(by_login);
  ASSERT_EQ(by_login->status, 200);
  json::Document doc = ParseBody(by_login);
  EXPECT_EQ(StringAt(doc, "id"), "00udemo0000000000001");
  EXPECT_EQ(StringAt(doc, "status"), "ACTIVE");
}

TEST_F(UsersApiTest, UnknownUserIs404E0000007) {
  auto res = h_.ApiGet("/api/v1/users/nobody@example.com");
  EXPECT_EQ(ExpectOktaError(res, 404, "E0000007"),
            "Not found: Resource not found: nobody@example.com (User)");
}

TEST_F(UsersApiTest, UnknownApiPathIs404E0000008) {
  auto res = h_.ApiGet("/api/v1/nothing-here");
  EXPECT_EQ(ExpectOktaError(res, 404, "E0000008"), "The requested path was not found");
}

TEST_F(UsersApiTest, WrongMethodIs405E0000022) {
  auto res = h_.Client().Patch("/api/v1/users/00udemo0000000000001", h_.ApiHeaders(), "{}",
                               "application/json");
  EXPECT_EQ(ExpectOktaError(res, 405, "E0000022"),
            "The endpoint does not support the provided HTTP method");
  ExpectOktaError(h_.ApiGet("/api/v1/users/00udemo0000000000001/lifecycle/suspend"), 405,
                  "E0000022");
  ExpectOktaError(h_.ApiDelete("/api/v1/users"), 405, "E0000022");
}

TEST_F(UsersApiTest, CreateActiveUserHasOktaShape) {
  auto res = h_.ApiPost("/api/v1/users?activate=true",
                        NewUserBody("ada@example.com", "Str0ng-Passphrase"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json::Document u = ParseBody(res);
  std::string id = StringAt(u, "id");
  EXPECT_EQ(id.size(), 20u);
  EXPECT_EQ(id.substr(0, 3), "00u");
  EXPECT_EQ(StringAt(u, "status"), "ACTIVE");
  for (const char* field :
       {"created", "activated", "statusChanged", "lastUpdated", "passwordChanged"}) {
    EXPECT_TRUE(ParseTimestamp(StringAt(u, field)).has_value()) << field;
  }
  EXPECT_TRUE(json::Member(u, "lastLogin")->IsNull());
  EXPECT_EQ(StringAt(*json::GetObject(u, "type"), "id").substr(0, 3), "oty");
  const json::Value* profile = json::GetObject(u, "profile");
  EXPECT_EQ(StringAt(*profile, "login"), "ada@example.com");
  EXPECT_EQ(StringAt(*profile, "lastName"), "Lovelace");
  const json::Value* creds = json::GetObject(u, "credentials");
  ASSERT_NE(creds, nullptr);
  EXPECT_TRUE(json::GetObject(*creds, "password")->ObjectEmpty());  // never the value or hash
  EXPECT_EQ(StringAt(*json::GetObject(*creds, "provider"), "type"), "OKTA");
  EXPECT_EQ(res->body.find("Str0ng"), std::string::npos);
  EXPECT_EQ(res->body.find("pbkdf2"), std::string::npos);
  const json::Value* links = json::GetObject(u, "_links");
  EXPECT_EQ(StringAt(*json::GetObject(*links, "self"), "href"),
            h_.server().base_url() + "/api/v1/users/" + id);
  EXPECT_EQ(StringAt(*json::GetObject(*links, "suspend"), "href"),
            h_.server().base_url() + "/api/v1/users/" + id + "/lifecycle/suspend");
  EXPECT_NE(json::GetObject(*links, "deactivate"), nullptr);
  EXPECT_EQ(json::GetObject(*links, "activate"), nullptr);
  // The new user can sign in with the password.
  auto authn = h_.Client().Post("/api/v1/authn",
                                R"({"username":"ada@example.com","password":"Str0ng-Passphrase"})",
                                "application/json");
  ASSERT_TRUE(authn);
  EXPECT_EQ(authn->status, 200);
}

TEST_F(UsersApiTest, CreateWithActivateFalseIsStaged) {
  auto res = h_.ApiPost("/api/v1/users?activate=false",
                        NewUserBody("staged@example.com", "Str0ng-Passphrase"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  json::Document u = ParseBody(res);
  EXPECT_EQ(StringAt(u, "status"), "STAGED");
  EXPECT_TRUE(json::Member(u, "activated")->IsNull());
  EXPECT_TRUE(json::Member(u, "statusChanged")->IsNull());
  EXPECT_NE(json::GetObject(*json::GetObject(u, "_links"), "activate"), nullptr);
}

TEST_F(UsersApiTest, CreateWithoutPasswordIsProvisionedAndMailsActivation) {
  auto res = h_.ApiPost("/api/v1/users", NewUserBody("nopass@example.com"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  json::Document u = ParseBody(res);
  EXPECT_EQ(StringAt(u, "status"), "PROVISIONED");
  EXPECT_EQ(json::GetObject(*json::GetObject(u, "credentials"), "password"), nullptr);
  std::vector<OutboxEmail> outbox = h_.store().outbox().List();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].to, "nopass@example.com");
  EXPECT_EQ(outbox[0].link.rfind(h_.server().base_url() + "/welcome/", 0), 0u);
}

TEST_F(UsersApiTest, DuplicateLoginIs400WithOktaCause) {
  h_.CreateUser("dup@example.com");
  auto res = h_.ApiPost("/api/v1/users", NewUserBody("DUP@example.com", "Str0ng-Passphrase"));
  EXPECT_EQ(ExpectOktaError(res, 400, "E0000001"), "Api validation failed: login");
  EXPECT_EQ(ErrorCauses(res),
            std::vector<std::string>{
                "login: An object with this field already exists in the current organization"});
}

TEST_F(UsersApiTest, WeakPasswordsAreRefusedWithOktaWording) {
  const std::string expected =
      "password: Password requirements were not met. Password requirements: at least 8 characters, "
      "a lowercase letter, an uppercase letter, a number, no parts of your username.";
  for (const char* weak : {"Sh0rt", "alllower1", "ALLUPPER1", "NoDigitsHere", "Xmarie.curie9"}) {
    auto res = h_.ApiPost("/api/v1/users", NewUserBody("marie.curie@example.com", weak));
    EXPECT_EQ(ExpectOktaError(res, 400, "E0000001"), "Api validation failed: password") << weak;
    EXPECT_EQ(ErrorCauses(res), std::vector<std::string>{expected}) << weak;
  }
  EXPECT_FALSE(h_.store().users().Find("marie.curie@example.com").has_value());
}

TEST_F(UsersApiTest, ProfileOutsideTheSchemaIsRefused) {
  auto unknown = h_.ApiPost(
      "/api/v1/users", NewUserBody("x1@example.com", "Str0ng-Passphrase", R"(,"shoeSize":42)"));
  EXPECT_EQ(ExpectOktaError(unknown, 400, "E0000001"), "Api validation failed: newUser");
  EXPECT_EQ(ErrorCauses(unknown),
            std::vector<std::string>{"Property name 'shoeSize' is not defined in profile"});

  auto wrong_type = h_.ApiPost(
      "/api/v1/users", NewUserBody("x2@example.com", "Str0ng-Passphrase", R"(,"favoriteColor":7)"));
  EXPECT_EQ(ExpectOktaError(wrong_type, 400, "E0000001"), "Api validation failed: favoriteColor");

  auto too_long = h_.ApiPost("/api/v1/users",
                             NewUserBody("x3@example.com", "Str0ng-Passphrase",
                                         R"(,"favoriteColor":")" + std::string(21, 'r') + "\""));
  EXPECT_EQ(ExpectOktaError(too_long, 400, "E0000001"), "Api validation failed: favoriteColor");

  auto missing = h_.ApiPost("/api/v1/users",
                            R"({"profile":{"login":"x4@example.com","email":"x4@example.com"}})");
  ExpectOktaError(missing, 400, "E0000001");
  EXPECT_EQ(ErrorCauses(missing),
            (std::vector<std::string>{"firstName: The field cannot be left blank",
                                      "lastName: The field cannot be left blank"}));

  auto bad_login = h_.ApiPost(
      "/api/v1/users",
      R"({"profile":{"login":"not-an-email","email":"bad","firstName":"A","lastName":"B"}})");
  ExpectOktaError(bad_login, 400, "E0000001");
  std::vector<std::string> causes = ErrorCauses(bad_login);
  EXPECT_NE(std::find(causes.begin(), causes.end(),
                      "login: Username must be in the form of an email address"),
            causes.end());
  EXPECT_NE(std::find(causes.begin(), causes.end(), "email: Does not match required pattern"),
            causes.end());

  auto bad_json = h_.ApiPost("/api/v1/users", "{not json");
  ExpectOktaError(bad_json, 400, "E0000003");
  EXPECT_TRUE(h_.store().users().List().size() == 1u);
}

TEST_F(UsersApiTest, CustomAttributeInSchemaIsAccepted) {
  auto res = h_.ApiPost("/api/v1/users", NewUserBody("color@example.com", "Str0ng-Passphrase",
                                                     R"(,"favoriteColor":"green")"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(StringAt(*json::GetObject(ParseBody(res), "profile"), "favoriteColor"), "green");
}

TEST_F(UsersApiTest, PartialUpdateMergesProfileAndBumpsLastUpdated) {
  std::string id = h_.CreateUser("merge@example.com");
  std::string before = StringAt(ParseBody(h_.ApiGet("/api/v1/users/" + id)), "lastUpdated");
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto res = h_.ApiPost("/api/v1/users/" + id,
                        R"({"profile":{"firstName":"Augusta","favoriteColor":"blue"}})");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json::Document u = ParseBody(res);
  const json::Value* profile = json::GetObject(u, "profile");
  EXPECT_EQ(StringAt(*profile, "firstName"), "Augusta");
  EXPECT_EQ(StringAt(*profile, "lastName"), "Lovelace");  // untouched
  EXPECT_EQ(StringAt(*profile, "favoriteColor"), "blue");
  EXPECT_GT(*ParseTimestamp(StringAt(u, "lastUpdated")), *ParseTimestamp(before));
  // An explicit null clears an optional attribute, and is refused for a required one.
  auto cleared = h_.ApiPost("/api/v1/users/" + id, R"({"profile":{"favoriteColor":null}})");
  ASSERT_TRUE(cleared);
  EXPECT_EQ(json::Member(*json::GetObject(ParseBody(cleared), "profile"), "favoriteColor"),
            nullptr);
  auto refused = h_.ApiPost("/api/v1/users/" + id, R"({"profile":{"lastName":null}})");
  EXPECT_EQ(ExpectOktaError(refused, 400, "E0000001"), "Api validation failed: lastName");
}

TEST_F(UsersApiTest, UpdateCanSetPasswordUnderPolicy) {
  std::string id = h_.CreateUser("pw@example.com");
  auto weak = h_.ApiPost("/api/v1/users/" + id, R"({"credentials":{"password":{"value":"weak"}}})");
  ExpectOktaError(weak, 400, "E0000001");
  auto ok = h_.ApiPost("/api/v1/users/" + id,
                       R"({"credentials":{"password":{"value":"An0ther-Secret"}}})");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  UserRecord user = *h_.store().users().Find(id);
  EXPECT_TRUE(h_.store().users().CheckPassword(user, "An0ther-Secret"));
  EXPECT_FALSE(h_.store().users().CheckPassword(user, "Str0ng-Passphrase"));
}

TEST_F(UsersApiTest, UpdateToDuplicateLoginIsRefused) {
  std::string id = h_.CreateUser("first@example.com");
  h_.CreateUser("second@example.com");
  auto res = h_.ApiPost("/api/v1/users/" + id, R"({"profile":{"login":"second@example.com"}})");
  EXPECT_EQ(ExpectOktaError(res, 400, "E0000001"), "Api validation failed: login");
}

TEST_F(UsersApiTest, PutReplacesTheWholeProfile) {
  std::string id = h_.CreateUser("put@example.com");
  ASSERT_EQ(h_.ApiPost("/api/v1/users/" + id, R"({"profile":{"city":"London"}})")->status, 200);
  auto res = h_.ApiPut(
      "/api/v1/users/" + id,
      R"({"profile":{"login":"put@example.com","email":"put@example.com","firstName":"P","lastName":"Q"}})");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json::Document replaced = ParseBody(res);
  const json::Value* profile = json::GetObject(replaced, "profile");
  EXPECT_EQ(json::Member(*profile, "city"), nullptr);
  EXPECT_EQ(StringAt(*profile, "firstName"), "P");
  auto incomplete = h_.ApiPut("/api/v1/users/" + id, R"({"profile":{"login":"put@example.com"}})");
  ExpectOktaError(incomplete, 400, "E0000001");
  ExpectOktaError(h_.ApiPost("/api/v1/users/00unobody", R"({"profile":{}})"), 404, "E0000007");
}

// --- list ---

std::vector<std::string> Logins(const httplib::Result& res) {
  std::vector<std::string> out;
  json::Document doc = ParseBody(res);
  if (!doc.IsArray()) return out;
  for (const auto& u : doc.GetArray())
    out.push_back(StringAt(*json::GetObject(u, "profile"), "login"));
  return out;
}

// The URL inside the Link header with the given rel, or "".
std::string LinkWithRel(const httplib::Result& res, const std::string& rel) {
  size_t count = res->get_header_value_count("Link");
  for (size_t i = 0; i < count; ++i) {
    std::string link = res->get_header_value("Link", i);
    if (link.find("rel=\"" + rel + "\"") != std::string::npos)
      return link.substr(1, link.find('>') - 1);
  }
  return "";
}

TEST_F(UsersApiTest, ListPagesWithLimitAndAfterCursor) {
  for (int i = 0; i < 4; ++i) h_.CreateUser("page" + std::to_string(i) + "@example.com");
  std::vector<std::string> seen;
  std::string path = "/api/v1/users?limit=2";
  int pages = 0;
  while (!path.empty() && pages < 10) {
    auto res = h_.ApiGet(path);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    EXPECT_EQ(LinkWithRel(res, "self").rfind(h_.server().base_url() + "/api/v1/users?", 0), 0u);
    std::vector<std::string> logins = Logins(res);
    EXPECT_LE(logins.size(), 2u);
    seen.insert(seen.end(), logins.begin(), logins.end());
    std::string next = LinkWithRel(res, "next");
    path = next.empty() ? "" : next.substr(h_.server().base_url().size());
    ++pages;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 5u);  // 4 created + the seeded demo user, each once
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end());
}

TEST_F(UsersApiTest, ListWithQMatchesNamePrefixes) {
  h_.CreateUser("grace@example.com");
  ASSERT_EQ(
      h_.ApiPost("/api/v1/users/demo@example.com", R"({"profile":{"firstName":"Grace"}})")->status,
      200);
  auto res = h_.ApiGet("/api/v1/users?q=gra");
  ASSERT_TRUE(res);
  std::vector<std::string> logins = Logins(res);
  std::sort(logins.begin(), logins.end());
  EXPECT_EQ(logins, (std::vector<std::string>{"demo@example.com", "grace@example.com"}));
  EXPECT_EQ(Logins(h_.ApiGet("/api/v1/users?q=zzz")).size(), 0u);
}

TEST_F(UsersApiTest, ListWithFilter) {
  std::string staged = "";
  h_.CreateUser("staged1@example.com", "Str0ng-Passphrase", false);
  h_.CreateUser("active1@example.com");
  auto by_status = h_.ApiGet("/api/v1/users?filter=" + std::string("status%20eq%20%22STAGED%22"));
  EXPECT_EQ(Logins(by_status), std::vector<std::string>{"staged1@example.com"});
  auto by_login =
      h_.ApiGet("/api/v1/users?filter=profile.login%20eq%20%22ACTIVE1%40example.com%22");
  EXPECT_EQ(Logins(by_login), std::vector<std::string>{"active1@example.com"});
  auto combined = h_.ApiGet(
      "/api/v1/"
      "users?filter=status%20eq%20%22ACTIVE%22%20and%20profile.login%20eq%20%22active1%40example."
      "com%22");
  EXPECT_EQ(Logins(combined), std::vector<std::string>{"active1@example.com"});
  auto either = h_.ApiGet(
      "/api/v1/users?filter=status%20eq%20%22STAGED%22%20or%20status%20eq%20%22ACTIVE%22");
  EXPECT_EQ(Logins(either).size(), 3u);
  auto future = h_.ApiGet("/api/v1/users?filter=lastUpdated%20gt%20%222100-01-01T00:00:00.000Z%22");
  EXPECT_EQ(Logins(future).size(), 0u);
  auto past = h_.ApiGet("/api/v1/users?filter=lastUpdated%20gt%20%222000-01-01T00:00:00.000Z%22");
  EXPECT_EQ(Logins(past).size(), 3u);
  ExpectOktaError(h_.ApiGet("/api/v1/users?filter=nickName%20eq%20%22x%22"), 400, "E0000031");
  ExpectOktaError(h_.ApiGet("/api/v1/users?filter=status%20eq"), 400, "E0000031");
}

TEST_F(UsersApiTest, ListWithSearch) {
  h_.CreateUser("s1@example.com");
  ASSERT_EQ(h_.ApiPost("/api/v1/users/s1@example.com", R"({"profile":{"favoriteColor":"green"}})")
                ->status,
            200);
  auto res = h_.ApiGet("/api/v1/users?search=profile.favoriteColor%20eq%20%22GREEN%22");
  EXPECT_EQ(Logins(res), std::vector<std::string>{"s1@example.com"});
  auto sw = h_.ApiGet("/api/v1/users?search=profile.login%20sw%20%22s1%22");
  EXPECT_EQ(Logins(sw), std::vector<std::string>{"s1@example.com"});
  ExpectOktaError(h_.ApiGet("/api/v1/users?search=profile.login%20ne%20%22x%22"), 400, "E0000031");
}

TEST_F(UsersApiTest, DeprovisionedUsersOnlyListedWithAFilter) {
  std::string id = h_.CreateUser("gone@example.com");
  ASSERT_EQ(h_.ApiPost("/api/v1/users/" + id + "/lifecycle/deactivate")->status, 200);
  std::vector<std::string> all = Logins(h_.ApiGet("/api/v1/users"));
  EXPECT_EQ(std::find(all.begin(), all.end(), "gone@example.com"), all.end());
  EXPECT_EQ(Logins(h_.ApiGet("/api/v1/users?filter=status%20eq%20%22DEPROVISIONED%22")),
            std::vector<std::string>{"gone@example.com"});
}

TEST(UsersApiBaseUrl, LinksUseTheConfiguredBaseUrl) {
  Options o;
  o.base_url = "https://id.example.test/";
  ServerHarness h(o);
  h.Start();
  EXPECT_EQ(h.server().base_url(), "https://id.example.test");
  json::Document u = ParseBody(h.ApiGet("/api/v1/users/00udemo0000000000001"));
  EXPECT_EQ(StringAt(*json::GetObject(*json::GetObject(u, "_links"), "self"), "href"),
            "https://id.example.test/api/v1/users/00udemo0000000000001");
}

TEST_F(UsersApiTest, ConcurrentWritesAreAllKept) {
  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this, t, &created] {
      httplib::Client client = h_.Client();
      for (int i = 0; i < 5; ++i) {
        std::string login = "c" + std::to_string(t) + "-" + std::to_string(i) + "@example.com";
        auto res = client.Post("/api/v1/users", h_.ApiHeaders(),
                               NewUserBody(login, "Str0ng-Passphrase"), "application/json");
        if (res && res->status == 200) ++created;
      }
      // Everyone races for the same login: exactly one wins.
      auto res =
          client.Post("/api/v1/users", h_.ApiHeaders(),
                      NewUserBody("race@example.com", "Str0ng-Passphrase"), "application/json");
      if (res && res->status == 200) ++created;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(created.load(), 21);
  EXPECT_EQ(h_.store().users().List().size(), 22u);
}

}  // namespace
}  // namespace userdesk::mini_okta
