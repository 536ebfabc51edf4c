// userdesk-admin users ... against mini-okta: finding, showing and listing users (paging over
// more users than one page), every status change with Okta's own refusals, and delete refused
// until the user is deactivated and without its flag.
#include "admin/users_commands.h"

#include <algorithm>
#include <set>

#include "admin/cli.h"
#include "admin_harness.h"
#include "json/json.h"
#include "support/free_port.h"

namespace userdesk::admin::testing {
namespace {

class UsersCommandsTest : public AdminTest {
 protected:
  std::string StatusOf(const std::string& id) {
    std::optional<mini_okta::UserRecord> user = UserNow(id);
    return user ? user->status : "(gone)";
  }
  // A user without a password: STAGED (activate=false) or PROVISIONED (activated: Okta mails the
  // activation link).
  std::string CreateWithoutPassword(const std::string& login, bool activate) {
    httplib::Result res =
        okta_.Client().Post(std::string("/api/v1/users?activate=") + (activate ? "true" : "false"),
                            {{"Authorization", std::string("SSWS ") + kProfileToken}},
                            mini_okta::testing::NewUserBody(login), "application/json");
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    std::optional<json::Document> user = json::ParseObject(res ? res->body : "");
    return user ? json::GetString(*user, "id").value_or("") : "";
  }
  size_t Emails() { return okta_.store().outbox().List().size(); }
};

TEST_F(UsersCommandsTest, FindsByLoginAndBySearch) {
  Outcome run = Admin({"users", "find", kDemoLogin});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "ID                    STATUS  LOGIN             NAME       LAST LOGIN\n"
            "00udemo0000000000001  ACTIVE  demo@example.com  Demo User  -\n"
            "1 user(s)\n");
  run = Admin({"users", "find", "--search", "profile.city eq \"Springfield\"", "--format", "csv"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(
      run.out.starts_with("id,status,login,email,firstName,lastName,created,activated,"
                          "lastLogin,lastUpdated\r\n00udemo0000000000001,ACTIVE,demo@"))
      << run.out;
  run = Admin({"users", "find", "nobody@example.com"});
  EXPECT_EQ(run.exit_code, kExitProblems);
  EXPECT_EQ(run.err, "userdesk-admin: Okta has no user with the id or login nobody@example.com\n");
  run = Admin({"users", "find", "--search", "profile.city eq \"Atlantis\""});
  EXPECT_EQ(run.exit_code, kExitProblems);  // found nothing
  EXPECT_NE(run.out.find("0 user(s)"), std::string::npos);
  run = Admin({"users", "find", "--search", "profile.city eq"});
  EXPECT_EQ(run.exit_code, kExitProblems);
  EXPECT_NE(run.err.find("Okta refused: E0000031"), std::string::npos) << run.err;
  EXPECT_EQ(Admin({"users", "find"}).exit_code, kExitUsage);
  EXPECT_EQ(Admin({"users", "find", "a@example.com", "--search", "x"}).exit_code, kExitUsage);
}

TEST_F(UsersCommandsTest, ShowsOneUser) {
  Outcome run = Admin({"users", "show", kDemoLogin});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(
      run.out.starts_with("id              00udemo0000000000001\n"
                          "status          ACTIVE\n"))
      << run.out;
  EXPECT_NE(run.out.find("profile:\n"), std::string::npos);
  EXPECT_NE(run.out.find("  favoriteColor teal\n"), std::string::npos) << run.out;
  run = Admin({"users", "show", kDemoId, "--json"});
  EXPECT_EQ(run.exit_code, 0);
  std::optional<json::Document> doc = json::ParseObject(run.out);
  ASSERT_TRUE(doc.has_value()) << run.out;
  EXPECT_EQ(json::GetString(*doc, "status"), "ACTIVE");
  EXPECT_TRUE(json::Member(*doc, "lastLogin")->IsNull());
  EXPECT_EQ(json::GetString(*json::GetObject(*doc, "profile"), "birthdate"), "1990-04-01");
}

// 205 more users than the demo user: two pages of Okta's largest size (200), and many of a
// small one; every user once, in mini-okta's id order.
TEST_F(UsersCommandsTest, ListsMoreUsersThanOnePage) {
  std::string users;
  for (int i = 0; i < 205; ++i) {
    char login[64];
    std::snprintf(login, sizeof login, "user%03d@example.com", i);
    users += std::string(users.empty() ? "" : ",") + R"({"profile": {"login": ")" + login +
             R"(", "email": ")" + login + R"(", "firstName": "User", "lastName": "N"}})";
  }
  ASSERT_TRUE(okta_.store().LoadSeed(R"({"users": [)" + users + "]}").ok());
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"users", "list", "--format", "csv"},
        std::vector<std::string>{"users", "list", "--format", "csv", "--page-size", "17"}}) {
    Outcome run = Admin(args);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    std::vector<std::string> ids;
    for (const std::string& line : LinesStartingWith(run.out, "00u")) {
      ids.push_back(line.substr(0, line.find(',')));
    }
    EXPECT_EQ(ids.size(), 206u) << args.back();
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 206u);
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  }
  Outcome json_run = Admin({"users", "list", "--format", "json", "--page-size", "50"});
  ASSERT_EQ(json_run.exit_code, 0) << json_run.err;
  std::optional<json::Document> list = json::Parse(json_run.out);
  ASSERT_TRUE(list && list->IsArray()) << json_run.out.substr(0, 200);
  EXPECT_EQ(list->Size(), 206u);
  Outcome table = Admin({"users", "list"});
  EXPECT_NE(table.out.find("\n206 user(s)\n"), std::string::npos);
}

TEST_F(UsersCommandsTest, ListsByStatusDeactivatedUsersOnlyWhenAsked) {
  std::string staged = CreateWithoutPassword("staged@example.com", false);
  Outcome run = Admin({"users", "list", "--status", "staged", "--format", "json"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::optional<json::Document> list = json::Parse(run.out);
  ASSERT_TRUE(list && list->IsArray() && list->Size() == 1) << run.out;
  EXPECT_EQ(json::GetString((*list)[0], "id"), staged);
  ASSERT_EQ(Admin({"users", "deactivate", staged}).exit_code, 0);
  EXPECT_EQ(Admin({"users", "list"}).out.find("staged@example.com"), std::string::npos);
  EXPECT_NE(Admin({"users", "list", "--status", "DEPROVISIONED"}).out.find("staged@example.com"),
            std::string::npos);
  EXPECT_EQ(Admin({"users", "list", "--status", "GONE"}).exit_code, kExitUsage);
  EXPECT_EQ(Admin({"users", "list", "--format", "xml"}).exit_code, kExitUsage);
  EXPECT_EQ(Admin({"users", "list", "--page-size", "201"}).exit_code, kExitUsage);
}

// Every transition the commands offer, from the statuses Okta allows, and Okta's refusals.
TEST_F(UsersCommandsTest, EveryStatusChange) {
  Outcome run = Admin({"users", "suspend", kDemoLogin});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(
      run.out.starts_with("Demo User <demo@example.com> (00udemo0000000000001): ACTIVE "
                          "-> SUSPENDED\nThey cannot sign in until unsuspended"))
      << run.out;
  EXPECT_EQ(StatusOf(kDemoId), "SUSPENDED");
  run = Admin({"users", "suspend", kDemoLogin});  // already there: nothing asked of Okta
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("Nothing to do: already SUSPENDED."), std::string::npos);

  run = Admin({"users", "unsuspend", kDemoId, "--json"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, R"({"id":"00udemo0000000000001","login":"demo@example.com",)"
                     R"("action":"unsuspend","before":"SUSPENDED","after":"ACTIVE"})"
                     "\n");
  EXPECT_EQ(StatusOf(kDemoId), "ACTIVE");

  size_t emails = Emails();
  run = Admin({"users", "reset-password", kDemoLogin});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("ACTIVE -> RECOVERY\nOkta emailed them a reset link"), std::string::npos)
      << run.out;
  EXPECT_EQ(Emails(), emails + 1);
  EXPECT_EQ(run.out.find("reset_password/"), std::string::npos);  // the link is never shown

  // Okta's refusal, in its words: unsuspend applies to SUSPENDED users only
  run = Admin({"users", "unsuspend", kDemoLogin});
  EXPECT_EQ(run.exit_code, kExitProblems);
  EXPECT_EQ(run.err,
            "userdesk-admin: unsuspend Demo User <demo@example.com> (00udemo0000000000001), who "
            "is RECOVERY: Okta refused: E0000001 Api validation failed: unsuspendUser; Cannot "
            "unsuspend a user that is not suspended\n");
  run = Admin({"users", "reactivate", kDemoLogin});  // refused here: not deactivated
  EXPECT_EQ(run.exit_code, kExitProblems);
  EXPECT_NE(run.err.find("is RECOVERY, not deactivated"), std::string::npos) << run.err;

  run = Admin({"users", "deactivate", kDemoLogin});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("RECOVERY -> DEPROVISIONED"), std::string::npos);
  EXPECT_EQ(StatusOf(kDemoId), "DEPROVISIONED");
  run = Admin({"users", "suspend", kDemoLogin});
  EXPECT_EQ(run.exit_code, kExitProblems);
  EXPECT_NE(run.err.find("Cannot suspend a user that is not active"), std::string::npos);
  run = Admin({"users", "reset-password", kDemoLogin});
  EXPECT_EQ(run.exit_code, kExitProblems);
  EXPECT_NE(run.err.find("E0000038"), std::string::npos) << run.err;

  run = Admin({"users", "reactivate", kDemoLogin});  // Okta's activate: the password is kept
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("DEPROVISIONED -> ACTIVE\nThey can sign in again."), std::string::npos)
      << run.out;
  run = Admin({"users", "reactivate", kDemoLogin});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("Nothing to do: already ACTIVE."), std::string::npos);
}

TEST_F(UsersCommandsTest, ReactivateSendsActivationEmailsToUsersWithoutAPassword) {
  std::string staged = CreateWithoutPassword("staged@example.com", false);
  size_t emails = Emails();
  Outcome run = Admin({"users", "reactivate", staged});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("STAGED -> PROVISIONED\nOkta emailed them an activation link"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(Emails(), emails + 1);
  run = Admin({"users", "reactivate", staged});  // still PROVISIONED: a new activation email
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("PROVISIONED -> PROVISIONED"), std::string::npos) << run.out;
  EXPECT_EQ(Emails(), emails + 2);
  EXPECT_EQ(run.out.find("/welcome/"), std::string::npos);  // the link is never shown
}

TEST_F(UsersCommandsTest, DeleteIsRefusedUntilDeactivatedAndWithoutTheFlag) {
  Outcome run = Admin({"users", "delete", kDemoLogin});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_NE(run.err.find("Deactivating (users deactivate) stops every sign-in"), std::string::npos)
      << run.err;
  EXPECT_EQ(StatusOf(kDemoId), "ACTIVE");

  run = Admin({"users", "delete", kDemoLogin, "--i-understand-this-deletes"});
  EXPECT_EQ(run.exit_code, kExitProblems);
  EXPECT_NE(run.err.find("is ACTIVE. Okta deletes only deactivated users"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("userdesk-admin users deactivate 00udemo0000000000001"),
            std::string::npos);
  EXPECT_EQ(StatusOf(kDemoId), "ACTIVE");  // not even deactivated

  ASSERT_EQ(Admin({"users", "deactivate", kDemoLogin}).exit_code, 0);
  run = Admin({"users", "delete", kDemoLogin});  // the flag is still needed
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_EQ(StatusOf(kDemoId), "DEPROVISIONED");

  run = Admin({"users", "delete", kDemoId, "--i-understand-this-deletes"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "Demo User <demo@example.com> (00udemo0000000000001): DEPROVISIONED -> (deleted)\n"
            "Deleted for good.\n");
  EXPECT_EQ(StatusOf(kDemoId), "(gone)");
  run = Admin({"users", "show", kDemoId});
  EXPECT_EQ(run.exit_code, kExitProblems);
}

TEST_F(UsersCommandsTest, OktaUnreachableOrRefusingTheTokenHaveTheirExitCodes) {
  SetKey("USER_PROFILE_TOKEN", "00revoked-token-0123456789abcdef");
  Outcome run = Admin({"users", "show", kDemoLogin});
  EXPECT_EQ(run.exit_code, kExitConfig);
  EXPECT_NE(run.err.find("USER_PROFILE_TOKEN: Okta refuses this API token"), std::string::npos);
  EXPECT_TRUE(NoSecretIn(run.err));
  EXPECT_EQ(run.err.find("00revoked-token"), std::string::npos);
  SetKey("USER_PROFILE_TOKEN", kProfileToken);
  SetKey("ORG_URL", "http://127.0.0.1:" + std::to_string(userdesk::testing::FreeLoopbackPort()));
  run = Admin({"users", "suspend", kDemoLogin});
  EXPECT_EQ(run.exit_code, kExitUnavailable);
  EXPECT_TRUE(run.err.starts_with("userdesk-admin: Okta could not be reached")) << run.err;
  EXPECT_EQ(StatusOf(kDemoId), "ACTIVE");
}

TEST_F(UsersCommandsTest, UsageAndHelp) {
  Outcome run = Admin({"users", "--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_TRUE(run.out.starts_with("usage: userdesk-admin users find")) << run.out;
  EXPECT_EQ(Admin({"users"}).exit_code, kExitUsage);
  EXPECT_EQ(Admin({"users", "promote", kDemoLogin}).exit_code, kExitUsage);
  EXPECT_EQ(Admin({"users", "suspend"}).exit_code, kExitUsage);
  EXPECT_EQ(Admin({"users", "suspend", "a", "b"}).exit_code, kExitUsage);
  EXPECT_EQ(Admin({"users", "show", ".."}).exit_code, kExitUsage);
  run = Admin({});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_TRUE(run.err.starts_with("usage: userdesk-admin <command>")) << run.err;
  EXPECT_EQ(Admin({"--help"}).exit_code, 0);
  EXPECT_EQ(Admin({"frobnicate"}).exit_code, kExitUsage);
}

}  // namespace
}  // namespace userdesk::admin::testing
