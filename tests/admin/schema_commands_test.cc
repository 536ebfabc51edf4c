// userdesk-admin schema export | diff | apply against mini-okta: the file round-trips, apply
// changes nothing twice, removals need their own flag, and nothing is applied without --yes.
#include "admin/schema_commands.h"

#include "admin/cli.h"
#include "admin/schema_file.h"
#include "admin_harness.h"

namespace userdesk::admin::testing {
namespace {

class SchemaCommandsTest : public AdminTest {
 protected:
  std::string Export() {
    Outcome run = Admin({"schema", "export"});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return run.out;
  }
  std::string SchemaUpdated() { return okta_.store().schema().Meta().last_updated; }
};

// Okta's seeded attributes, as export prints them: keys sorted, Okta's defaults filled in.
constexpr char kSeeded[] = R"({
  "birthdate": {
    "master": {
      "type": "PROFILE_MASTER"
    },
    "mutability": "READ_WRITE",
    "permissions": [
      {
        "action": "READ_WRITE",
        "principal": "SELF"
      }
    ],
    "scope": "NONE",
    "title": "Birthdate",
    "type": "string"
  },

  "favoriteColor": {
    "master": {
      "type": "PROFILE_MASTER"
    },
    "mutability": "READ_WRITE",
    "permissions": [
      {
        "action": "READ_WRITE",
        "principal": "SELF"
      }
    ],
    "scope": "NONE",
    "title": "Favorite Color",
    "type": "string"
  }
}
)";

// The export, edited as a person would: a title changed and a length added, an attribute added
// with only the fields they care about, one removed.
constexpr char kEdited[] = R"({
  "favoriteColor": {
    "master": {"type": "PROFILE_MASTER"},
    "mutability": "READ_WRITE",
    "permissions": [{"action": "READ_WRITE", "principal": "SELF"}],
    "scope": "NONE",
    "title": "Favourite colour",
    "maxLength": 40,
    "type": "string"
  },
  "team": {"title": "Team", "type": "string", "maxLength": 64,
           "permissions": [{"principal": "SELF", "action": "READ_WRITE"}]}
}
)";

TEST_F(SchemaCommandsTest, ExportsSortedOneAttributePerBlock) {
  std::string first = Export();
  EXPECT_EQ(first, kSeeded);
  EXPECT_EQ(Export(), first);  // stable
  WriteFile("schema.json", first);
  Outcome diff = Admin({"schema", "diff", Path("schema.json")});
  EXPECT_EQ(diff.exit_code, 0) << diff.out << diff.err;
  EXPECT_EQ(diff.out, "no changes: Okta's custom attributes match the file\n");
}

TEST_F(SchemaCommandsTest, ExportEditDiffApplyExportRoundTrips) {
  WriteFile("schema.json", kEdited);
  Outcome diff = Admin({"schema", "diff", Path("schema.json")});
  EXPECT_EQ(diff.exit_code, kExitProblems) << diff.err;
  EXPECT_EQ(diff.out,
            "- birthdate (remove: deletes its value from every user's profile)\n"
            "    note: the profile form shows birthdate; without it the form leaves it out\n"
            "~ favoriteColor (change)\n"
            "    maxLength: (none) -> 40\n"
            "    title: \"Favorite Color\" -> \"Favourite colour\"\n"
            "+ team (add)\n"
            "    maxLength: 64\n"
            "    permissions: [{\"principal\":\"SELF\",\"action\":\"READ_WRITE\"}]\n"
            "    title: \"Team\"\n"
            "    type: \"string\"\n"
            "1 to add, 1 to change, 1 to remove\n");

  std::string before = SchemaUpdated();
  // without --yes: the plan, nothing applied
  Outcome plan = Admin({"schema", "apply", Path("schema.json"), "--allow-remove"});
  EXPECT_EQ(plan.exit_code, kExitUsage);
  EXPECT_EQ(plan.out, diff.out);
  EXPECT_NE(plan.err.find("run again with --yes"), std::string::npos) << plan.err;
  // a removal without --allow-remove: nothing applied either
  Outcome refused = Admin({"schema", "apply", Path("schema.json"), "--yes"});
  EXPECT_EQ(refused.exit_code, kExitProblems);
  EXPECT_NE(refused.err.find("--allow-remove"), std::string::npos) << refused.err;
  EXPECT_EQ(SchemaUpdated(), before);
  EXPECT_EQ(Export(), kSeeded);

  Outcome applied = Admin({"schema", "apply", Path("schema.json"), "--yes", "--allow-remove"});
  EXPECT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_NE(applied.out.find("applied: Okta's custom attributes now match the file"),
            std::string::npos);
  // the demo user's birthdate went with the attribute
  EXPECT_EQ(UserNow(kDemoId)->profile_json.find("birthdate"), std::string::npos);

  // export shows what was applied (with Okta's defaults for the new attribute), the file still
  // matches, and applying again changes nothing at all
  std::string exported = Export();
  EXPECT_NE(exported.find("\"title\": \"Favourite colour\""), std::string::npos) << exported;
  EXPECT_NE(exported.find("\"team\": {"), std::string::npos) << exported;
  EXPECT_EQ(exported.find("birthdate"), std::string::npos) << exported;
  WriteFile("exported.json", exported);
  for (const char* file : {"schema.json", "exported.json"}) {
    Outcome again = Admin({"schema", "diff", Path(file)});
    EXPECT_EQ(again.exit_code, 0) << file << again.out;
  }
  std::string after_first = SchemaUpdated();
  Outcome twice = Admin({"schema", "apply", Path("schema.json"), "--yes", "--allow-remove"});
  EXPECT_EQ(twice.exit_code, 0) << twice.out << twice.err;
  EXPECT_EQ(twice.out, "no changes: Okta's custom attributes match the file\n");
  EXPECT_EQ(SchemaUpdated(), after_first);  // no write reached Okta
  EXPECT_EQ(Export(), exported);

  // and the first export brings the seeded schema back: maxLength goes, team goes, birthdate
  // comes back (empty: its values went with it)
  WriteFile("seeded.json", kSeeded);
  Outcome back = Admin({"schema", "apply", Path("seeded.json"), "--yes", "--allow-remove"});
  EXPECT_EQ(back.exit_code, 0) << back.out << back.err;
  EXPECT_EQ(Export(), kSeeded);
}

// A hand-written file may leave out what Okta fills in itself (master, mutability, permissions,
// scope); any other field it leaves out is removed.
TEST_F(SchemaCommandsTest, LeftOutFieldsAreRemovedButOktasOwnDefaultsStay) {
  WriteFile("short.json", R"({"birthdate": {"maxLength": 10, "title": "Birthdate",
                              "type": "string"},
                              "favoriteColor": {"title": "Favorite Color", "type": "string"}})");
  Outcome diff = Admin({"schema", "diff", Path("short.json"), "--json"});
  EXPECT_EQ(diff.exit_code, kExitProblems);
  EXPECT_EQ(diff.out,
            R"({"changes":[{"kind":"change","name":"birthdate","fields":[{"field":"maxLength",)"
            R"("before":null,"after":10}]}]})"
            "\n");
  ASSERT_EQ(Admin({"schema", "apply", Path("short.json"), "--yes"}).exit_code, 0);
  std::string exported = Export();
  EXPECT_NE(exported.find("\"maxLength\": 10"), std::string::npos) << exported;
  EXPECT_NE(exported.find("\"scope\": \"NONE\""), std::string::npos);
  // the line deleted from the file is removed at Okta
  WriteFile("seeded.json", kSeeded);
  Outcome drop = Admin({"schema", "apply", Path("seeded.json"), "--yes"});
  EXPECT_EQ(drop.exit_code, 0) << drop.err;
  EXPECT_EQ(drop.out,
            "~ birthdate (change)\n"
            "    maxLength: 10 -> (removed)\n"
            "0 to add, 1 to change, 0 to remove\n"
            "applied: Okta's custom attributes now match the file\n");
  EXPECT_EQ(Export(), kSeeded);
  // an attribute's own permissions in the file do change Okta's
  WriteFile("hidden.json", R"({"birthdate": {"title": "Birthdate", "type": "string",
                               "permissions": [{"principal": "SELF", "action": "HIDE"}]},
                               "favoriteColor": {"title": "Favorite Color", "type": "string"}})");
  ASSERT_EQ(Admin({"schema", "apply", Path("hidden.json"), "--yes"}).exit_code, 0);
  EXPECT_NE(Export().find("\"action\": \"HIDE\""), std::string::npos);
}

TEST_F(SchemaCommandsTest, RefusesFilesThatAreNotCustomAttributes) {
  WriteFile("base.json", R"({"FirstName": {"title": "First", "type": "string"}, "x": null,
                             "y": "text"})");
  Outcome run = Admin({"schema", "diff", Path("base.json")});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_NE(run.err.find("FirstName is a base attribute"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("x is null: leave an attribute out of the file to remove it"),
            std::string::npos);
  EXPECT_NE(run.err.find("y is not an object"), std::string::npos);
  WriteFile("broken.json", "{");
  EXPECT_EQ(Admin({"schema", "apply", Path("broken.json"), "--yes"}).exit_code, kExitUsage);
  EXPECT_EQ(Admin({"schema", "diff", Path("nosuch.json")}).exit_code, kExitUsage);
  EXPECT_EQ(Admin({"schema", "diff"}).exit_code, kExitUsage);
  EXPECT_EQ(Admin({"schema", "frobnicate"}).exit_code, kExitUsage);
}

TEST_F(SchemaCommandsTest, OktasRefusalIsShownWithItsCause) {
  WriteFile("bad.json", R"({"team": {"type": "string"}})");  // Okta wants a title
  Outcome run = Admin({"schema", "apply", Path("bad.json"), "--yes", "--allow-remove"});
  EXPECT_EQ(run.exit_code, kExitProblems) << run.out;
  EXPECT_NE(run.err.find("Okta refused: E0000001"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("team: "), std::string::npos) << run.err;
  EXPECT_EQ(Export(), kSeeded);  // one update: nothing of it was applied
}

TEST_F(SchemaCommandsTest, AnUnknownTokenIsAConfigProblem) {
  SetKey("USER_PROFILE_TOKEN", "00revoked-token-0123456789abcdef");
  Outcome run = Admin({"schema", "export"});
  EXPECT_EQ(run.exit_code, kExitConfig);
  EXPECT_TRUE(
      run.err.starts_with("userdesk-admin: USER_PROFILE_TOKEN: Okta refuses this API "
                          "token (E0000011"))
      << run.err;
  EXPECT_EQ(run.out, "");
}

}  // namespace
}  // namespace userdesk::admin::testing
