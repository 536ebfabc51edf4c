// userdesk-admin sessions ... against mini-okta and a session registry file in a temporary
// STATE_DIRECTORY, as the responders record sessions there: end ends every userdesk session of
// the user (and no one else's) and their Okta sign-in session; list shows the active ones.
#include "admin/sessions_commands.h"

#include <unistd.h>

#include "admin/cli.h"
#include "admin_harness.h"
#include "json/json.h"
#include "mini_okta/oidc_flow.h"
#include "session/session_cookie.h"
#include "session/sqlite_registry.h"

namespace userdesk::admin::testing {
namespace {

constexpr char kDemoPassword[] = "Userdesk-1a2b3c4d-7";  // DevSeed's
constexpr char kOtherId[] = "00uother000000000001";

class SessionsCommandsTest : public AdminTest {
 protected:
  std::string RegistryPath() const { return Path("sessions.db"); }
  std::map<std::string, std::string> StateEnv() const { return {{"STATE_DIRECTORY", dir_}}; }

  std::unique_ptr<session::SqliteRegistry> Registry() {
    auto opened = session::SqliteRegistry::Open(RegistryPath());
    EXPECT_TRUE(opened.ok()) << opened.error().detail;
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  // A session as the auth responder records it at sign-in.
  void Record(session::Registry& registry, const std::string& sid, const std::string& sub,
              int64_t created_at) {
    session::SessionRecord r;
    r.id = session::RecordId(sid);
    r.sub = sub;
    r.created_at = created_at;
    r.last_seen_at = created_at + 60;
    r.device = "Firefox on Linux";
    r.address = "192.0.2.7";
    ASSERT_TRUE(registry.Add(r).ok());
  }

  // The authorize request of userdesk's client (DevSeed), answered from the sign-in session of
  // cookie with prompt=none: a code while that session lives, login_required once it ended.
  std::string AuthorizePath(const mini_okta::testing::Params& extra = {}) {
    mini_okta::testing::Params p = {
        {"client_id", kClientId},
        {"redirect_uri", std::string(kHostUrl) + "/authorization-code/callback"}};
    for (const auto& kv : extra) p[kv.first] = kv.second;
    return mini_okta::testing::AuthorizePath(mini_okta::testing::kDefaultPrefix, p);
  }
  std::string SignInAtOkta() {
    mini_okta::testing::SignIn s =
        mini_okta::testing::SignInWithForm(okta_, AuthorizePath(), kDemoLogin, kDemoPassword);
    EXPECT_FALSE(s.cookie.empty()) << "mini-okta set no sign-in cookie";
    return s.cookie;
  }
  bool OktaSessionLives(const std::string& cookie) {
    httplib::Result res =
        okta_.Client().Get(AuthorizePath({{"prompt", "none"}}), {{"Cookie", cookie}});
    EXPECT_TRUE(res);
    mini_okta::testing::Params params = mini_okta::testing::LocationParams(res);
    if (!params["code"].empty()) return true;
    EXPECT_EQ(params["error"], "login_required");
    return false;
  }
};

TEST_F(SessionsCommandsTest, EndEndsEveryUserdeskSessionOfTheUserAndTheirOktaSession) {
  auto registry = Registry();
  ASSERT_TRUE(registry);
  int64_t now = session::NowSeconds();
  Record(*registry, "sid-demo-1", kDemoId, now - 600);
  Record(*registry, "sid-demo-2", kDemoId, now - 300);
  Record(*registry, "sid-other", kOtherId, now - 100);
  std::string okta_cookie = SignInAtOkta();
  ASSERT_TRUE(OktaSessionLives(okta_cookie));

  Outcome run = Admin({"sessions", "end", kDemoLogin}, StateEnv());
  EXPECT_EQ(run.exit_code, kExitOk) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out,
            "Demo User <demo@example.com> (00udemo0000000000001):\n"
            "  userdesk: 2 sessions ended in sqlite:" +
                RegistryPath() +
                "; every responder refuses them within SESSION_CHECK_SECONDS (5 s)\n"
                "  Okta: the user's sessions ended; their next sign-in asks for the "
                "password\n");
  EXPECT_TRUE(NoSecretIn(run.out + run.err));

  auto demo_active = registry->ActiveOf(kDemoId);
  ASSERT_TRUE(demo_active.ok());
  EXPECT_TRUE(demo_active->empty());
  for (const char* sid : {"sid-demo-1", "sid-demo-2"}) {
    auto record = registry->Find(session::RecordId(sid));
    ASSERT_TRUE(record.ok() && record->has_value()) << sid;
    EXPECT_FALSE((*record)->active()) << sid;
    EXPECT_GE((*record)->ended_at, now) << sid;
  }
  auto other = registry->ActiveOf(kOtherId);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->size(), 1u) << "another user's session was ended";
  EXPECT_FALSE(OktaSessionLives(okta_cookie)) << "the Okta session outlived the command";

  // again, by id and as JSON: nothing left to end is not an error
  Outcome again = Admin({"sessions", "end", kDemoId, "--json"}, StateEnv());
  EXPECT_EQ(again.exit_code, kExitOk) << again.err;
  auto doc = json::ParseObject(again.out);
  ASSERT_TRUE(doc) << again.out;
  EXPECT_EQ(json::GetString(*doc, "id"), kDemoId);
  EXPECT_EQ(json::GetString(*doc, "login"), kDemoLogin);
  EXPECT_EQ(json::GetString(*doc, "registry"), "sqlite:" + RegistryPath());
  EXPECT_EQ(json::GetInt(*doc, "userdeskSessionsEnded"), 0);
  EXPECT_EQ(json::GetBool(*doc, "oktaSessionsEnded"), true);
}

TEST_F(SessionsCommandsTest, ListShowsTheActiveSessionsAsATableOrJson) {
  auto registry = Registry();
  ASSERT_TRUE(registry);
  Record(*registry, "sid-demo-1", kDemoId, 1733296000);  // 2024-12-04T07:06:40Z
  Record(*registry, "sid-demo-2", kDemoId, 1733299600);
  Record(*registry, "sid-demo-3", kDemoId, 1733299700);
  ASSERT_TRUE(registry->End(kDemoId, session::RecordId("sid-demo-3"), 1733299800).ok());

  Outcome run = Admin({"sessions", "list", kDemoLogin}, StateEnv());
  EXPECT_EQ(run.exit_code, kExitOk) << run.err;
  std::string handle1 = session::RecordId("sid-demo-1");
  std::string handle2 = session::RecordId("sid-demo-2");
  EXPECT_EQ(
      run.out,
      "Demo User <demo@example.com> (00udemo0000000000001): 2 active userdesk sessions in "
      "sqlite:" +
          RegistryPath() +
          "\n"
          "SIGNED IN                 LAST SEEN                 DEVICE            ADDRESS    "
          "HANDLE\n"
          "2024-12-04T08:06:40.000Z  2024-12-04T08:07:40.000Z  Firefox on Linux  192.0.2.7  " +
          handle2 +
          "\n"
          "2024-12-04T07:06:40.000Z  2024-12-04T07:07:40.000Z  Firefox on Linux  192.0.2.7  " +
          handle1 + "\n");

  Outcome as_json = Admin({"sessions", "list", kDemoId, "--json"}, StateEnv());
  EXPECT_EQ(as_json.exit_code, kExitOk) << as_json.err;
  auto doc = json::ParseObject(as_json.out);
  ASSERT_TRUE(doc) << as_json.out;
  const json::Value* sessions = json::GetArray(*doc, "sessions");
  ASSERT_NE(sessions, nullptr);
  ASSERT_EQ(sessions->Size(), 2u);
  EXPECT_EQ(json::GetString((*sessions)[0], "handle"), handle2);
  EXPECT_EQ(json::GetString((*sessions)[0], "createdAt"), "2024-12-04T08:06:40.000Z");
  EXPECT_EQ(json::GetString((*sessions)[0], "device"), "Firefox on Linux");
  EXPECT_EQ(json::GetString((*sessions)[0], "address"), "192.0.2.7");
}

TEST_F(SessionsCommandsTest, WithoutARegistryOnlyOktasSessionsEndAndNoFileIsCreated) {
  std::string okta_cookie = SignInAtOkta();
  Outcome run = Admin({"sessions", "end", kDemoLogin}, StateEnv());
  EXPECT_EQ(run.exit_code, kExitOk) << run.err;
  EXPECT_NE(run.out.find("  userdesk: no session registry at " + RegistryPath()), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("  Okta: the user's sessions ended"), std::string::npos) << run.out;
  EXPECT_NE(::access(RegistryPath().c_str(), F_OK), 0) << "the command created the registry";
  EXPECT_FALSE(OktaSessionLives(okta_cookie));

  SetKey("SESSION_STORE", "none");
  Outcome json_run = Admin({"sessions", "end", kDemoLogin, "--json"}, StateEnv());
  EXPECT_EQ(json_run.exit_code, kExitOk) << json_run.err;
  auto doc = json::ParseObject(json_run.out);
  ASSERT_TRUE(doc) << json_run.out;
  EXPECT_TRUE((*doc)["registry"].IsNull());
  EXPECT_TRUE((*doc)["userdeskSessionsEnded"].IsNull());
  EXPECT_EQ(json::GetBool(*doc, "oktaSessionsEnded"), true);
}

TEST_F(SessionsCommandsTest, ExitCodesForScripts) {
  ASSERT_TRUE(Registry());
  Outcome unknown = Admin({"sessions", "end", "nobody@example.com"}, StateEnv());
  EXPECT_EQ(unknown.exit_code, kExitProblems);
  EXPECT_EQ(unknown.err,
            "userdesk-admin: Okta has no user with the id or login nobody@example.com\n");
  EXPECT_EQ(Admin({"sessions", "end"}, StateEnv()).exit_code, kExitUsage);
  EXPECT_EQ(Admin({"sessions", "end", "a", "b"}, StateEnv()).exit_code, kExitUsage);
  EXPECT_EQ(Admin({"sessions", "end", kDemoLogin, "--yes"}, StateEnv()).exit_code, kExitUsage);
  EXPECT_EQ(Admin({"sessions", "stop", kDemoLogin}, StateEnv()).exit_code, kExitUsage);
  EXPECT_EQ(Admin({"sessions"}, StateEnv()).exit_code, kExitUsage);
  Outcome help = Admin({"sessions", "--help"});
  EXPECT_EQ(help.exit_code, kExitOk);
  EXPECT_NE(help.out.find("usage: userdesk-admin sessions list USER [--json]"), std::string::npos);
  EXPECT_NE(Admin({"--help"}).out.find("sessions list|end"), std::string::npos);

  // a registry that cannot be opened: Okta's sessions still end, exit 69
  WriteFile("broken.db", std::string(4096, 'x'));  // not a SQLite database
  SetKey("SESSION_STORE", "sqlite:" + Path("broken.db"));
  Outcome broken = Admin({"sessions", "end", kDemoLogin}, StateEnv());
  EXPECT_EQ(broken.exit_code, kExitUnavailable) << broken.out << broken.err;
  EXPECT_NE(broken.out.find("  Okta: the user's sessions ended"), std::string::npos) << broken.out;

  // Okta refusing the token: 78, naming the key
  SetKey("SESSION_STORE", "");
  SetKey("USER_PROFILE_TOKEN", "00revoked-token-0123456789abcdefgh");
  Outcome refused = Admin({"sessions", "end", kDemoLogin}, StateEnv());
  EXPECT_EQ(refused.exit_code, kExitConfig) << refused.err;
  EXPECT_NE(refused.err.find("USER_PROFILE_TOKEN"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace userdesk::admin::testing
