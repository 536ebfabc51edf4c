// userdesk-admin check against mini-okta: all is well on the dev env; each broken key is named on
// its own line, with its fix and the documented exit code, and no secret's value is ever printed.
#include "admin/check.h"

#include "admin/cli.h"
#include "admin_harness.h"
#include "json/json.h"
#include "support/free_port.h"

namespace userdesk::admin::testing {
namespace {

using CheckTest = AdminTest;

std::string Problems(const Outcome& run) {
  std::string out;
  for (const std::string& line : LinesStartingWith(run.out, "PROBLEM")) out += line + "\n";
  return out;
}

TEST_F(CheckTest, PassesOnTheDevEnv) {
  Outcome run = Admin({"check"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("userdesk-admin check: all is well"), std::string::npos) << run.out;
  for (const char* subject :
       {"config", "USERDESK_TEMPLATES", "HOST_URL", "ISSUER", "CLIENT_ID", "CLIENT_SECRET",
        "REGISTRATION_TOKEN", "USER_PROFILE_TOKEN", "schema"}) {
    EXPECT_EQ(LinesStartingWith(run.out, std::string("ok          ") + subject + ":").size(), 1u)
        << subject << "\n"
        << run.out;
  }
  EXPECT_TRUE(Problems(run).empty());
  EXPECT_TRUE(NoSecretIn(run.out + run.err));
  EXPECT_EQ(run.err, "");
}

TEST_F(CheckTest, AWrongClientSecretIsNamedWithItsFix) {
  SetKey("CLIENT_SECRET", "not-the-right-secret-0123456789");
  Outcome run = Admin({"check"});
  EXPECT_EQ(run.exit_code, kExitProblems) << run.out;
  std::vector<std::string> problems = LinesStartingWith(run.out, "PROBLEM");
  ASSERT_EQ(problems.size(), 1u) << run.out;
  EXPECT_TRUE(problems[0].starts_with("PROBLEM     CLIENT_SECRET: ")) << problems[0];
  EXPECT_NE(problems[0].find("invalid_client"), std::string::npos);
  EXPECT_NE(problems[0].find("the secret is wrong"), std::string::npos);
  EXPECT_NE(problems[0].find("Fix: "), std::string::npos);
  EXPECT_EQ(run.out.find("not-the-right-secret"), std::string::npos);
  EXPECT_TRUE(NoSecretIn(run.out + run.err));
}

TEST_F(CheckTest, AnUnknownApiTokenIsNamedWithItsFix) {
  // mini-okta cannot revoke a token; one it never knew is refused the same way (401 E0000011)
  SetKey("REGISTRATION_TOKEN", "00revoked-token-0123456789abcdef");
  Outcome run = Admin({"check"});
  EXPECT_EQ(run.exit_code, kExitProblems) << run.out;
  EXPECT_EQ(Problems(run),
            "PROBLEM     REGISTRATION_TOKEN: Okta refuses this API token (E0000011 Invalid token "
            "provided): it was revoked, expired after 30 days without use, or belongs to another "
            "org; create one (Admin console > Security > API > Tokens) and set "
            "REGISTRATION_TOKEN\n");
  EXPECT_EQ(run.out.find("00revoked-token"), std::string::npos);
}

TEST_F(CheckTest, AnUnknownProfileTokenLeavesTheSchemaUnchecked) {
  SetKey("USER_PROFILE_TOKEN", "00revoked-token-0123456789abcdef");
  Outcome run = Admin({"check"});
  EXPECT_EQ(run.exit_code, kExitProblems) << run.out;
  EXPECT_EQ(LinesStartingWith(run.out, "PROBLEM     USER_PROFILE_TOKEN: ").size(), 1u) << run.out;
  EXPECT_EQ(LinesStartingWith(run.out, "note        schema: not checked").size(), 1u) << run.out;
}

TEST_F(CheckTest, AnUnreachableIssuerIsUnavailable) {
  SetKey("ISSUER", "http://127.0.0.1:" + std::to_string(userdesk::testing::FreeLoopbackPort()) +
                       "/oauth2/default");
  Outcome run = Admin({"check"});
  EXPECT_EQ(run.exit_code, kExitUnavailable) << run.out;
  std::vector<std::string> lines = LinesStartingWith(run.out, "UNREACHABLE");
  ASSERT_EQ(lines.size(), 1u) << run.out;
  EXPECT_TRUE(lines[0].starts_with("UNREACHABLE ISSUER: discovery at http://127.0.0.1:"))
      << lines[0];
  EXPECT_NE(lines[0].find("Fix: check ISSUER"), std::string::npos);
  EXPECT_TRUE(Problems(run).empty()) << run.out;  // the tokens and schema still pass
  EXPECT_EQ(LinesStartingWith(run.out, "ok          USER_PROFILE_TOKEN:").size(), 1u);
}

TEST_F(CheckTest, AnIssuerWithoutDiscoveryIsAProblem) {
  SetKey("ISSUER", okta_.server().base_url() + "/oauth2/nosuch");
  Outcome run = Admin({"check"});
  EXPECT_EQ(run.exit_code, kExitProblems) << run.out;
  std::vector<std::string> problems = LinesStartingWith(run.out, "PROBLEM");
  ASSERT_EQ(problems.size(), 1u) << run.out;
  EXPECT_TRUE(problems[0].starts_with("PROBLEM     ISSUER: discovery at ")) << problems[0];
  EXPECT_NE(problems[0].find("Issuer URI"), std::string::npos) << problems[0];
}

TEST_F(CheckTest, AnUnreachableOrgIsUnavailable) {
  SetKey("ORG_URL", "http://127.0.0.1:" + std::to_string(userdesk::testing::FreeLoopbackPort()));
  SetKey("ISSUER", okta_.server().base_url() + "/oauth2/default");
  Outcome run = Admin({"check"});
  EXPECT_EQ(run.exit_code, kExitUnavailable) << run.out;
  EXPECT_EQ(
      LinesStartingWith(run.out, "UNREACHABLE ORG_URL: not checked REGISTRATION_TOKEN").size(), 1u)
      << run.out;
  EXPECT_EQ(
      LinesStartingWith(run.out, "UNREACHABLE ORG_URL: not checked USER_PROFILE_TOKEN").size(), 1u)
      << run.out;
}

TEST_F(CheckTest, AMissingSchemaAttributeIsNamed) {
  ASSERT_TRUE(okta_.store()
                  .schema()
                  .UpdateCustomProperties([](json::Document& custom) {
                    custom.RemoveMember("birthdate");
                    return OkStatus();
                  })
                  .ok());
  Outcome run = Admin({"check"});
  EXPECT_EQ(run.exit_code, kExitProblems) << run.out;
  std::vector<std::string> problems = LinesStartingWith(run.out, "PROBLEM");
  ASSERT_EQ(problems.size(), 1u) << run.out;
  EXPECT_TRUE(
      problems[0].starts_with("PROBLEM     schema.birthdate: the profile form shows "
                              "birthdate, which the default user schema lacks"))
      << problems[0];
  EXPECT_NE(problems[0].find("schema apply"), std::string::npos);
}

// The form is drawn from the schema: a tutorial attribute users may not write is shown read-only,
// which the administrator who followed the tutorial did not mean (Okta's default for a new
// attribute is read-only).
TEST_F(CheckTest, ATutorialAttributeUsersCannotEditIsNamed) {
  ASSERT_TRUE(okta_.store()
                  .schema()
                  .UpdateCustomProperties([](json::Document& custom) {
                    custom["favoriteColor"].RemoveMember("permissions");
                    return OkStatus();
                  })
                  .ok());
  Outcome run = Admin({"check"});
  EXPECT_EQ(run.exit_code, kExitProblems) << run.out;
  std::vector<std::string> problems = LinesStartingWith(run.out, "PROBLEM");
  ASSERT_EQ(problems.size(), 1u) << run.out;
  EXPECT_TRUE(
      problems[0].starts_with("PROBLEM     schema.favoriteColor: users cannot edit "
                              "favoriteColor: its user permission is READ_ONLY"))
      << problems[0];
}

TEST_F(CheckTest, ACallbackTheClientDoesNotHaveIsNamed) {
  SetKey("HOST_URL", "http://127.0.0.1:3999");
  Outcome run = Admin({"check"});
  EXPECT_EQ(run.exit_code, kExitProblems) << run.out;
  std::vector<std::string> problems = LinesStartingWith(run.out, "PROBLEM");
  ASSERT_EQ(problems.size(), 1u) << run.out;
  EXPECT_TRUE(
      problems[0].starts_with("PROBLEM     CLIENT_ID: the provider does not send "
                              "sign-ins back to http://127.0.0.1:3999/"
                              "authorization-code/callback"))
      << problems[0];
}

TEST_F(CheckTest, AHostUrlWithAPathOrPlainHttpIsAProblem) {
  SetKey("HOST_URL", "http://id.example.com/desk");
  Outcome run = Admin({"check"});
  EXPECT_EQ(run.exit_code, kExitProblems);
  EXPECT_EQ(LinesStartingWith(run.out, "PROBLEM     HOST_URL: has a path").size(), 1u) << run.out;
  EXPECT_EQ(LinesStartingWith(run.out, "PROBLEM     HOST_URL: is http:// for a host").size(), 1u)
      << run.out;
}

TEST_F(CheckTest, InvalidKeysAreEachNamedAndNothingElseIsChecked) {
  SetKey("CLIENT_SECRET", "");
  SetKey("HTTP_TIMEOUT_MS", "soon");
  SetKey("APP_SECRET", "tiny-value");
  Outcome run = Admin({"check"});
  EXPECT_EQ(run.exit_code, kExitConfig) << run.out;
  EXPECT_EQ(Problems(run),
            "PROBLEM     APP_SECRET: is too short (at least 16 characters); generate one with: "
            "openssl rand -base64 32\n"
            "PROBLEM     CLIENT_SECRET: is missing: the Okta application's client secret\n"
            "PROBLEM     HTTP_TIMEOUT_MS: must be a whole number from 100 to 120000\n");
  EXPECT_EQ(LinesStartingWith(run.out, "ok").size(), 0u);
  EXPECT_EQ(run.out.find("tiny-value"), std::string::npos);  // the value is not shown
}

TEST_F(CheckTest, AMissingEnvFileIsAConfigProblem) {
  Outcome run = Admin({"check"}, {{"USERDESK_ENV_FILE", Path("nosuch.env")}});
  EXPECT_EQ(run.exit_code, kExitConfig);
  EXPECT_NE(run.out.find("PROBLEM     USERDESK_ENV_FILE: names " + Path("nosuch.env") +
                         ", which cannot be read"),
            std::string::npos)
      << run.out;
  run = Admin({"check"}, {{"USERDESK_ENV_FILE", ""}});  // unset: the installed file
  EXPECT_EQ(run.exit_code, kExitConfig);
  EXPECT_NE(run.out.find("/userdesk/userdesk.env, which cannot be read"), std::string::npos)
      << run.out;
}

TEST_F(CheckTest, JsonSaysTheSameAsTheText) {
  SetKey("CLIENT_SECRET", "not-the-right-secret-0123456789");
  Outcome run = Admin({"check", "--json"});
  EXPECT_EQ(run.exit_code, kExitProblems);
  std::optional<json::Document> doc = json::ParseObject(run.out);
  ASSERT_TRUE(doc.has_value()) << run.out;
  EXPECT_EQ(json::GetBool(*doc, "ok"), false);
  EXPECT_EQ(json::GetInt(*doc, "exitCode"), kExitProblems);
  const json::Value* findings = json::GetArray(*doc, "findings");
  ASSERT_NE(findings, nullptr);
  int problems = 0;
  for (const json::Value& f : findings->GetArray()) {
    if (json::GetString(f, "verdict") != "problem") continue;
    ++problems;
    EXPECT_EQ(json::GetString(f, "subject"), "CLIENT_SECRET");
  }
  EXPECT_EQ(problems, 1);
  EXPECT_TRUE(NoSecretIn(run.out));
}

TEST_F(CheckTest, UsageAndHelp) {
  Outcome run = Admin({"check", "--nope"});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_NE(run.err.find("unknown option --nope"), std::string::npos);
  run = Admin({"check", "--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_TRUE(run.out.starts_with("usage: userdesk-admin check [--json]")) << run.out;
  EXPECT_NE(run.out.find("Exit codes:"), std::string::npos);
}

// The pure part: which exit code a report gives.
TEST(CheckExitCodeTest, ConfigThenProblemsThenUnreachable) {
  CheckReport report;
  EXPECT_EQ(ExitCodeOf(report), kExitOk);
  report.findings.push_back({Verdict::kNote, "x", ""});
  EXPECT_EQ(ExitCodeOf(report), kExitOk);
  report.findings.push_back({Verdict::kUnreachable, "x", ""});
  EXPECT_EQ(ExitCodeOf(report), kExitUnavailable);
  report.findings.push_back({Verdict::kProblem, "x", ""});
  EXPECT_EQ(ExitCodeOf(report), kExitProblems);
  report.config_unusable = true;
  EXPECT_EQ(ExitCodeOf(report), kExitConfig);
}

}  // namespace
}  // namespace userdesk::admin::testing
