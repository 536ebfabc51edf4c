// The dashboard and the profile form through the real stack: nginx, spawn-fcgi with every
// responder, and mini-okta as Okta (its Users API, schema and fault knobs). Each test creates
// its own user through mini-okta's API, signs in as that user and checks what the pages show
// and what mini-okta then holds.
#include <chrono>
#include <regex>
#include <thread>

#include "integration/browser.h"
#include "integration/stack.h"
#include "json/json.h"
#include "support/wait.h"

namespace userdesk::integration {
namespace {

class ProfileStack : public DemoStackTest {
 protected:
  // Calls to mini-okta time out after 1.5 s, so the latency tests stay short.
  static void SetUpTestSuite() {
    Stack::Options options;
    // the schema is read again each second, so attributes a test adds show up quickly
    options.extra_env = {{"HTTP_TIMEOUT_MS", "1500"}, {"SCHEMA_CACHE_SECONDS", "1"}};
    StartStack(options);
  }

  // A new ACTIVE user with this login and password; its id.
  static std::string CreateUser(const std::string& login, const std::string& extra_profile = "") {
    HttpResponse r =
        OktaApi("POST", "/api/v1/users?activate=true",
                R"({"profile":{"login":")" + login + R"(","email":")" + login +
                    R"(","firstName":"Grace","lastName":"Hopper")" + extra_profile +
                    R"(},"credentials":{"password":{"value":")" + kPassword + R"("}}})");
    EXPECT_EQ(r.status, 200) << r.body;
    auto doc = json::ParseObject(r.body);
    return doc ? json::GetString(*doc, "id").value_or("") : "";
  }

  // The user's profile as mini-okta holds it.
  static std::map<std::string, std::string> OktaProfile(const std::string& id) {
    std::map<std::string, std::string> profile;
    HttpResponse r = OktaApi("GET", "/api/v1/users/" + id);
    auto doc = json::ParseObject(r.body);
    const json::Value* p = doc ? json::GetObject(*doc, "profile") : nullptr;
    if (p == nullptr) return profile;
    for (const auto& m : p->GetObject()) {
      if (m.value.IsString()) profile[m.name.GetString()] = m.value.GetString();
    }
    return profile;
  }

  // Signs browser in as login (created by CreateUser); EXPECTs success.
  static void SignInAs(Browser& browser, const std::string& login) {
    SignInWithPassword(browser, login, kPassword);
  }

  // How many times mini-okta was asked for this user by id.
  static size_t UserReads(const std::string& id) {
    return Count(stack_->Log("mini-okta"), "GET /api/v1/users/" + id + " ");
  }

  // Adds, changes (definition: a JSON schema attribute) or removes ("null") a custom attribute
  // of mini-okta's user schema.
  static void SetCustomAttribute(const std::string& name, const std::string& definition) {
    HttpResponse r =
        OktaApi("POST", "/api/v1/meta/schemas/user/default",
                R"({"definitions":{"custom":{"id":"#custom","type":"object","properties":{")" +
                    name + R"(":)" + definition + "}}}}");
    ASSERT_EQ(r.status, 200) << r.body;
  }
  // Adds a custom attribute users may edit and waits, bounded, until browser's profile form shows
  // it (the responder reads the schema again once its copy is a second old).
  static void AddEditableAttribute(Browser& browser, const std::string& name,
                                   const std::string& definition_fields) {
    SetCustomAttribute(name, "{" + definition_fields + "," + kReadWrite + "}");
    EXPECT_TRUE(userdesk::testing::WaitUntil(
        [&] {
          return Contains(browser.Get(stack_->Url("/profile")).body, R"(name=")" + name + R"(")");
        },
        std::chrono::seconds(10)))
        << name << " never showed on the form";
  }
  static constexpr const char* kReadWrite =
      R"("permissions":[{"principal":"SELF","action":"READ_WRITE"}])";
  static constexpr const char* kFavoriteColor =
      R"({"title":"Favorite Color","type":"string","permissions":[{"principal":"SELF","action":"READ_WRITE"}]})";

  static constexpr const char* kPassword = "Correct-Horse-9-battery";
};

TEST_F(ProfileStack, SignedOutVisitorsAreSentToSignInFirst) {
  Browser b;
  HttpResponse r = b.Get(stack_->Url("/dashboard"));
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.Header("Location"), "/login?returnTo=%2Fdashboard");
  r = b.Get(stack_->Url("/profile"));
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.Header("Location"), "/login?returnTo=%2Fprofile");
  r = b.Post(stack_->Url("/profile"), "firstName=Eve", Origin());
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(Contains(r.body, "nothing was saved") || Contains(r.body, "was not saved")) << r.body;
}

TEST_F(ProfileStack, DashboardShowsTheSeededDemoProfileSortedInStartCase) {
  Browser b;
  HttpResponse callback = SignIn(b);
  ASSERT_EQ(callback.status, 302);
  HttpResponse r = b.Get(stack_->Url("/dashboard"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Contains(r.body, "<h1><bdi>Demo</bdi>&apos;s Dashboard</h1>")) << r.body;
  EXPECT_EQ(r.Header("Cache-Control"), "private, no-store");
  // sorted by attribute name (birthdate, city, email, ...), labelled with the schema's titles
  const char* terms[] = {"Birthdate", "City",     "Primary email", "Favorite Color", "First name",
                         "Last name", "Username", "State",         "Street address", "Zip code"};
  size_t last = 0;
  for (const char* term : terms) {
    size_t at = r.body.find("<dt>" + std::string(term) + "</dt>");
    ASSERT_NE(at, std::string::npos) << term << "\n" << r.body;
    EXPECT_GT(at, last) << term;
    last = at;
  }
  EXPECT_TRUE(Contains(r.body, "<dd>teal</dd>"));
  EXPECT_TRUE(Contains(r.body, "<dd>1 Main Street</dd>"));
  EXPECT_TRUE(Contains(r.body, "<dd>demo@example.com</dd>"));
}

// A first name holding U+202E RIGHT-TO-LEFT OVERRIDE would make "Signed in as" read backwards:
// the session drops bidi controls, and every inline place a name is shown isolates it (<bdi>).
TEST_F(ProfileStack, ANameWithBidiControlsCannotReorderThePage) {
  const std::string rlo = "\xe2\x80\xae";
  std::string id = CreateUser("bidi@example.com");
  HttpResponse renamed =
      OktaApi("POST", "/api/v1/users/" + id, R"({"profile":{"firstName":")" + rlo + R"(nimda"}})");
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  Browser b;
  SignInAs(b, "bidi@example.com");
  HttpResponse home = b.Get(stack_->Url("/"));
  EXPECT_TRUE(Contains(home.body, "Signed in as <a href=\"/profile\"><bdi>nimda Hopper</bdi></a>"))
      << home.body;
  EXPECT_TRUE(Contains(home.body, "Welcome back, <bdi>nimda Hopper</bdi>.")) << home.body;
  EXPECT_FALSE(Contains(home.body, rlo)) << "the session dropped it";
  // the dashboard shows Okta's firstName as it is, isolated
  HttpResponse dashboard = b.Get(stack_->Url("/dashboard"));
  EXPECT_TRUE(Contains(dashboard.body, "<h1><bdi>" + rlo + "nimda</bdi>&apos;s Dashboard</h1>"))
      << dashboard.body;
  EXPECT_TRUE(Contains(dashboard.body, "<bdi>nimda Hopper</bdi></a>")) << dashboard.body;
}

TEST_F(ProfileStack, EmptyAttributesAreLeftOutAndValuesEscaped) {
  std::string id = CreateUser("empty.values@example.com",
                              R"(,"city":"","state":"<b>WA</b>","favoriteColor":"red & blue")");
  Browser b;
  SignInAs(b, "empty.values@example.com");
  HttpResponse r = b.Get(stack_->Url("/dashboard"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Contains(r.body, "<h1><bdi>Grace</bdi>&apos;s Dashboard</h1>"));
  EXPECT_FALSE(Contains(r.body, "<dt>City</dt>"));
  EXPECT_TRUE(Contains(r.body, "<dd>&lt;b&gt;WA&lt;/b&gt;</dd>")) << r.body;
  EXPECT_TRUE(Contains(r.body, "<dd>red &amp; blue</dd>"));
  EXPECT_FALSE(Contains(r.body, "<b>WA</b>"));
}

TEST_F(ProfileStack, OneOktaReadPerUserPerCachePeriodAndResponder) {
  std::string id = CreateUser("one.read@example.com");
  Browser b;
  SignInAs(b, "one.read@example.com");
  for (int i = 0; i < 5; i++) ASSERT_EQ(b.Get(stack_->Url("/dashboard")).status, 200);
  EXPECT_EQ(UserReads(id), 1u);  // the dashboard process read once
  for (int i = 0; i < 3; i++) ASSERT_EQ(b.Get(stack_->Url("/profile")).status, 200);
  EXPECT_EQ(UserReads(id), 2u);  // and the profile process once
}

TEST_F(ProfileStack, ProfileFormShowsTheTutorialsFieldsFilledFromOkta) {
  CreateUser("form.fields@example.com", R"(,"city":"Arlington","birthdate":"1906-12-09")");
  Browser b;
  SignInAs(b, "form.fields@example.com");
  HttpResponse r = b.Get(stack_->Url("/profile"));
  ASSERT_EQ(r.status, 200) << r.body;
  // the schema's titles (mini-okta's base attributes, the seed's custom ones)
  for (const char* label : {"First name", "Last name", "Street address", "City", "State",
                            "Zip code", "Birthdate", "Favorite Color"}) {
    EXPECT_TRUE(Contains(r.body, std::string(">") + label)) << label;
  }
  EXPECT_EQ(InputValue(r.body, "firstName"), "Grace");
  EXPECT_EQ(InputValue(r.body, "city"), "Arlington");
  EXPECT_TRUE(Contains(r.body, R"(id="birthdate" name="birthdate" type="date" value="1906-12-09")"))
      << r.body;
  EXPECT_TRUE(Contains(r.body, R"(<label for="firstName">)"));
  EXPECT_FALSE(InputValue(r.body, "csrf").empty());
  EXPECT_EQ(r.Header("Cache-Control"), "private, no-store");
}

TEST_F(ProfileStack, ASaveShowsAtOnceOnTheDashboardAndInTheHeader) {
  std::string id = CreateUser("save.shows@example.com", R"(,"city":"Arlington")");
  Browser b;
  SignInAs(b, "save.shows@example.com");
  // the dashboard process caches the old profile first
  HttpResponse before = b.Get(stack_->Url("/dashboard"));
  ASSERT_TRUE(Contains(before.body, "<dd>Arlington</dd>"));
  ASSERT_TRUE(Contains(before.body, "<bdi>Grace Hopper</bdi></a>"));

  HttpResponse saved =
      EditProfile(b, {{"firstName", "Amazing"}, {"city", "New York"}, {"birthdate", "1906-12-09"}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.Header("Location"), "/profile?saved=1");
  HttpResponse confirmation = b.Get(stack_->Url("/profile?saved=1"));
  EXPECT_TRUE(Contains(confirmation.body, "Your profile has been saved.")) << confirmation.body;
  EXPECT_EQ(InputValue(confirmation.body, "city"), "New York");

  // another process, with an older copy cached: the session's lastUpdated makes it read again
  HttpResponse after = b.Get(stack_->Url("/dashboard"));
  ASSERT_EQ(after.status, 200);
  EXPECT_TRUE(Contains(after.body, "<dd>New York</dd>")) << after.body;
  EXPECT_TRUE(Contains(after.body, "<dd>1906-12-09</dd>"));
  EXPECT_TRUE(Contains(after.body, "<bdi>Amazing</bdi>&apos;s Dashboard"));
  EXPECT_TRUE(Contains(after.body, "<bdi>Amazing Hopper</bdi></a>")) << after.body;  // the header

  auto profile = OktaProfile(id);
  EXPECT_EQ(profile["city"], "New York");
  EXPECT_EQ(profile["firstName"], "Amazing");
  EXPECT_EQ(profile["lastName"], "Hopper");  // untouched attributes keep their value
}

TEST_F(ProfileStack, AMissingOrWrongCsrfTokenOrAForeignOriginIsRefused) {
  std::string id = CreateUser("csrf.check@example.com");
  Browser b;
  SignInAs(b, "csrf.check@example.com");
  HttpResponse form = b.Get(stack_->Url("/profile"));
  std::map<std::string, std::string> fields = FormFields(form.body);
  fields["city"] = "Forged";

  auto without = fields;
  without.erase("csrf");
  EXPECT_EQ(b.Post(stack_->Url("/profile"), EncodeForm(without), Origin()).status, 403);
  auto wrong = fields;
  wrong["csrf"] = "not-the-token";
  EXPECT_EQ(b.Post(stack_->Url("/profile"), EncodeForm(wrong), Origin()).status, 403);
  EXPECT_EQ(b.Post(stack_->Url("/profile"), EncodeForm(fields), "https://evil.example").status,
            403);
  EXPECT_EQ(OktaProfile(id).count("city"), 0u);  // nothing reached Okta
}

TEST_F(ProfileStack, FieldsNotOnTheListAreIgnoredAndLogged) {
  std::string id = CreateUser("mass.assign@example.com");
  Browser b;
  SignInAs(b, "mass.assign@example.com");
  SetCustomAttribute(
      "internalNote",
      R"({"title":"Internal note","type":"string","permissions":[{"principal":"SELF","action":"HIDE"}]})");
  SetCustomAttribute(
      "approved",
      R"({"title":"Approved","type":"boolean","permissions":[{"principal":"SELF","action":"READ_ONLY"}]})");
  HttpResponse saved = EditProfile(b, {{"city", "Boston"},
                                       {"login", "attacker@example.com"},
                                       {"email", "attacker@example.com"},
                                       {"approved", "true"},
                                       {"internalNote", "hello"},
                                       {"role", "admin"}});
  SetCustomAttribute("internalNote", "null");
  SetCustomAttribute("approved", "null");
  ASSERT_EQ(saved.status, 303) << saved.body;
  auto profile = OktaProfile(id);
  EXPECT_EQ(profile["city"], "Boston");
  EXPECT_EQ(profile["login"], "mass.assign@example.com");
  EXPECT_EQ(profile["email"], "mass.assign@example.com");
  EXPECT_EQ(profile.count("role"), 0u);
  EXPECT_EQ(profile.count("internalNote"), 0u);
  EXPECT_EQ(profile.count("approved"), 0u);
  // what the schema lets no user write, and what it lets no one see, are ignored and logged
  std::string log = stack_->Log("profile");
  // (approved is on one list or the other: whether this responder's schema copy has it yet)
  std::smatch read_only;
  ASSERT_TRUE(std::regex_search(log, read_only,
                                std::regex("ignored read-only attributes posted anyway: [^\n]*")))
      << log;
  EXPECT_TRUE(Contains(read_only.str(), "email, login")) << read_only.str();
  EXPECT_TRUE(Contains(log, "ignored form fields that are not editable:")) << log;
  EXPECT_TRUE(Contains(log, "role")) << log;
}

TEST_F(ProfileStack, ValidationErrorsKeepWhatWasTyped) {
  std::string id = CreateUser("validation@example.com");
  Browser b;
  SignInAs(b, "validation@example.com");
  HttpResponse r = EditProfile(b, {{"firstName", "  "},
                                   {"city", "Typed City"},
                                   {"birthdate", "2001-02-30"},
                                   {"zipCode", std::string(51, '1')},
                                   {"favoriteColor", "\"quoted\" <green>"}});
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_TRUE(Contains(r.body, "Please correct the fields marked below."));
  EXPECT_TRUE(Contains(r.body, "Enter your first name."));
  EXPECT_TRUE(Contains(r.body, "Birthdate must be a date, written YYYY-MM-DD."));
  EXPECT_TRUE(Contains(r.body, "Zip code can be at most 50 characters."));
  EXPECT_TRUE(Contains(r.body, R"(aria-invalid="true" aria-describedby="firstName-error")"));
  EXPECT_EQ(InputValue(r.body, "city"), "Typed City");
  EXPECT_EQ(InputValue(r.body, "favoriteColor"), "&quot;quoted&quot; &lt;green&gt;");
  // the invalid date comes back as text, so the browser shows what was typed
  EXPECT_TRUE(Contains(r.body, R"(name="birthdate" type="text" value="2001-02-30")")) << r.body;
  EXPECT_EQ(OktaProfile(id).count("city"), 0u);
}

TEST_F(ProfileStack, TwoTabsEditingDifferentFieldsKeepBothChanges) {
  std::string id = CreateUser("two.tabs@example.com", R"(,"city":"Arlington","state":"VA")");
  Browser b;
  SignInAs(b, "two.tabs@example.com");
  std::map<std::string, std::string> tab1 = FormFields(b.Get(stack_->Url("/profile")).body);
  std::map<std::string, std::string> tab2 = FormFields(b.Get(stack_->Url("/profile")).body);
  tab1["city"] = "Boston";
  ASSERT_EQ(b.Post(stack_->Url("/profile"), EncodeForm(tab1), Origin()).status, 303);
  tab2["state"] = "MA";  // this tab still shows city Arlington
  ASSERT_EQ(b.Post(stack_->Url("/profile"), EncodeForm(tab2), Origin()).status, 303);
  auto profile = OktaProfile(id);
  EXPECT_EQ(profile["city"], "Boston");
  EXPECT_EQ(profile["state"], "MA");
}

TEST_F(ProfileStack, EmptyingAFieldClearsTheAttribute) {
  std::string id = CreateUser("clear.field@example.com", R"(,"city":"Arlington")");
  Browser b;
  SignInAs(b, "clear.field@example.com");
  ASSERT_EQ(EditProfile(b, {{"city", ""}}).status, 303);
  EXPECT_EQ(OktaProfile(id).count("city"), 0u);
  HttpResponse dashboard = b.Get(stack_->Url("/dashboard"));
  EXPECT_FALSE(Contains(dashboard.body, "<dt>City</dt>"));
}

TEST_F(ProfileStack, NoChangeSendsNothing) {
  std::string id = CreateUser("no.change@example.com");
  Browser b;
  SignInAs(b, "no.change@example.com");
  std::string before = OktaProfile(id)["firstName"];
  size_t writes = Count(stack_->Log("mini-okta"), "POST /api/v1/users/" + id + " ");
  HttpResponse r = EditProfile(b, {});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.Header("Location"), "/profile?unchanged=1");
  EXPECT_EQ(Count(stack_->Log("mini-okta"), "POST /api/v1/users/" + id + " "), writes);
}

TEST_F(ProfileStack, AnAttributeMissingFromOktasSchemaIsAFieldError) {
  std::string id = CreateUser("schema.gap@example.com");
  Browser b;
  SignInAs(b, "schema.gap@example.com");
  std::map<std::string, std::string> fields = FormFields(b.Get(stack_->Url("/profile")).body);
  SetCustomAttribute("favoriteColor", "null");
  fields["favoriteColor"] = "purple";
  fields["city"] = "Kept City";
  HttpResponse r = b.Post(stack_->Url("/profile"), EncodeForm(fields), Origin());
  SetCustomAttribute("favoriteColor", kFavoriteColor);
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_TRUE(Contains(r.body, R"(id="favoriteColor-error")")) << r.body;
  EXPECT_TRUE(Contains(r.body, "Favorite Color cannot be saved"));
  EXPECT_EQ(InputValue(r.body, "favoriteColor"), "purple");
  EXPECT_EQ(InputValue(r.body, "city"), "Kept City");
  EXPECT_EQ(OktaProfile(id).count("city"), 0u);  // the update is all or nothing
}

TEST_F(ProfileStack, OktasOwnValidationMessagesGoBesideTheirField) {
  std::string id = CreateUser("okta.rules@example.com");
  Browser b;
  SignInAs(b, "okta.rules@example.com");
  // a bound the form does not check: only Okta refuses it
  AddEditableAttribute(b, "luckyNumber", R"("title":"Lucky number","type":"integer","maximum":99)");
  HttpResponse r = EditProfile(b, {{"luckyNumber", "100"}, {"city", "Kept"}});
  SetCustomAttribute("luckyNumber", "null");
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_TRUE(Contains(
      r.body,
      R"(<p class="field-error" id="luckyNumber-error">Lucky number: The value is too large)"))
      << r.body;
  EXPECT_EQ(InputValue(r.body, "luckyNumber"), "100");
  EXPECT_EQ(InputValue(r.body, "city"), "Kept");
}

// An attribute added to Okta's schema shows on the form with no code change, drawn by its type,
// and a save sends it typed: a boolean as a boolean, a number as a number, a select's value.
TEST_F(ProfileStack, AttributesAddedToTheSchemaShowUpAndSaveTyped) {
  std::string id = CreateUser("typed@example.com");
  Browser b;
  SignInAs(b, "typed@example.com");
  AddEditableAttribute(b, "newsletter", R"("title":"Newsletter","type":"boolean")");
  AddEditableAttribute(b, "shirtSize",
                       R"("title":"Shirt size","type":"string","enum":["S","M","L"],)"
                       R"("oneOf":[{"const":"S","title":"Small"},{"const":"M","title":"Medium"},)"
                       R"({"const":"L","title":"Large"}])");
  AddEditableAttribute(b, "luckyNumber", R"("title":"Lucky number","type":"integer")");
  HttpResponse form = b.Get(stack_->Url("/profile"));
  EXPECT_TRUE(Contains(form.body, R"(name="newsletter" type="checkbox" value="true")"))
      << form.body;
  EXPECT_TRUE(Contains(form.body, R"(<option value="L">Large</option>)")) << form.body;
  HttpResponse saved =
      EditProfile(b, {{"newsletter", "true"}, {"shirtSize", "L"}, {"luckyNumber", "7"}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  auto user = json::ParseObject(OktaApi("GET", "/api/v1/users/" + id).body);
  ASSERT_TRUE(user.has_value());
  const json::Value& profile = (*user)["profile"];
  EXPECT_TRUE(profile["newsletter"].IsTrue());
  EXPECT_EQ(json::GetString(profile, "shirtSize"), "L");
  ASSERT_TRUE(profile["luckyNumber"].IsInt());
  EXPECT_EQ(profile["luckyNumber"].GetInt(), 7);
  // shown back as saved, and on the dashboard with the titles
  HttpResponse again = b.Get(stack_->Url("/profile"));
  EXPECT_TRUE(Contains(again.body, R"(<option value="L" selected>Large</option>)")) << again.body;
  EXPECT_TRUE(Contains(again.body, R"(type="checkbox" value="true" checked)")) << again.body;
  HttpResponse dashboard = b.Get(stack_->Url("/dashboard"));
  EXPECT_TRUE(Contains(dashboard.body, "<dt>Newsletter</dt>")) << dashboard.body;
  // unticked, the boolean is saved false, not left as it was
  auto fields = FormFields(b.Get(stack_->Url("/profile")).body);
  fields.erase("newsletter");
  saved = b.Post(stack_->Url("/profile"), EncodeForm(fields), Origin());
  ASSERT_EQ(saved.status, 303) << saved.body;
  user = json::ParseObject(OktaApi("GET", "/api/v1/users/" + id).body);
  EXPECT_TRUE((*user)["profile"]["newsletter"].IsFalse());
  for (const char* name : {"newsletter", "shirtSize", "luckyNumber"})
    SetCustomAttribute(name, "null");
}

TEST_F(ProfileStack, AnOktaOutageDuringASaveKeepsTheInput) {
  std::string id = CreateUser("outage.save@example.com");
  Browser b;
  SignInAs(b, "outage.save@example.com");
  std::map<std::string, std::string> fields = FormFields(b.Get(stack_->Url("/profile")).body);
  fields["city"] = "Unsaved City";

  Faults(R"({"errorRate":1.0})");
  HttpResponse down = b.Post(stack_->Url("/profile"), EncodeForm(fields), Origin());
  Faults(R"({"errorRate":0})");
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_TRUE(Contains(down.body, "Nothing was saved, and what you typed is still in the form."));
  EXPECT_EQ(InputValue(down.body, "city"), "Unsaved City");

  Faults(R"({"force429":true})");
  HttpResponse limited = b.Post(stack_->Url("/profile"), EncodeForm(fields), Origin());
  Faults(R"({"force429":false})");
  EXPECT_EQ(limited.status, 503) << limited.body;
  EXPECT_FALSE(limited.Header("Retry-After").empty());
  EXPECT_EQ(InputValue(limited.body, "city"), "Unsaved City");

  Faults(R"({"latencyMs":2500})");  // beyond this stack's 1.5 s HTTP_TIMEOUT_MS
  HttpResponse slow = b.Post(stack_->Url("/profile"), EncodeForm(fields), Origin());
  Faults(R"({"latencyMs":0})");
  EXPECT_EQ(slow.status, 504) << slow.body;
  EXPECT_EQ(InputValue(slow.body, "city"), "Unsaved City");

  // and once Okta is back, the same post saves
  HttpResponse saved = b.Post(stack_->Url("/profile"), EncodeForm(fields), Origin());
  EXPECT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(OktaProfile(id)["city"], "Unsaved City");
}

TEST_F(ProfileStack, AnOktaOutageWithNothingCachedIsAClearPage) {
  CreateUser("outage.read@example.com");
  Browser b;
  SignInAs(b, "outage.read@example.com");
  Faults(R"({"errorRate":1.0})");
  HttpResponse down = b.Get(stack_->Url("/dashboard"));
  Faults(R"({"errorRate":0})");
  EXPECT_EQ(down.status, 503);
  EXPECT_TRUE(Contains(down.body, "We could not reach the identity provider.")) << down.body;
  EXPECT_TRUE(Contains(down.body, R"(href="/dashboard">Try again</a>)"));

  Faults(R"({"force429":true})");
  HttpResponse limited = b.Get(stack_->Url("/profile"));
  Faults(R"({"force429":false})");
  EXPECT_EQ(limited.status, 503);
  EXPECT_FALSE(limited.Header("Retry-After").empty());

  EXPECT_EQ(b.Get(stack_->Url("/dashboard")).status, 200);  // recovered
  EXPECT_FALSE(Contains(stack_->Log("dashboard"), "terminate"));
}

TEST_F(ProfileStack, AUserDeletedAtOktaIsSignedOut) {
  std::string id = CreateUser("deleted.user@example.com");
  Browser b;
  SignInAs(b, "deleted.user@example.com");
  ASSERT_EQ(OktaApi("DELETE", "/api/v1/users/" + id).status, 204);  // deactivate
  ASSERT_EQ(OktaApi("DELETE", "/api/v1/users/" + id).status, 204);  // delete
  auto cookies = b.jar();
  HttpResponse r = b.Get(stack_->Url("/dashboard"));
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(Contains(r.body, "Your account no longer exists")) << r.body;
  EXPECT_FALSE(b.Has("userdesk_session"));
  // the cookie replayed (it is still validly signed): the answer is remembered, so it cannot
  // spend the org's rate limit one Okta read at a time
  size_t reads = UserReads(id);
  for (int i = 0; i < 3; i++) {
    b.jar() = cookies;
    EXPECT_EQ(b.Get(stack_->Url("/dashboard")).status, 404);
  }
  EXPECT_EQ(UserReads(id), reads);
}

// A suite with a one-second profile cache, so an expired copy meets an Okta outage.
class ProfileStackShortCache : public ProfileStack {
 protected:
  static void SetUpTestSuite() {
    Stack::Options options;
    options.extra_env = {{"HTTP_TIMEOUT_MS", "1500"}, {"PROFILE_CACHE_SECONDS", "1"}};
    StartStack(options);
  }
};

TEST_F(ProfileStackShortCache, AnOutageShowsTheLastCopyWithANotice) {
  CreateUser("stale.copy@example.com", R"(,"city":"Arlington")");
  Browser b;
  SignInAs(b, "stale.copy@example.com");
  ASSERT_EQ(b.Get(stack_->Url("/dashboard")).status, 200);
  ASSERT_EQ(b.Get(stack_->Url("/profile")).status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // past the cache period

  Faults(R"({"errorRate":1.0})");
  HttpResponse dashboard = b.Get(stack_->Url("/dashboard"));
  HttpResponse profile = b.Get(stack_->Url("/profile"));
  Faults(R"({"errorRate":0})");
  ASSERT_EQ(dashboard.status, 200) << dashboard.body;
  EXPECT_TRUE(
      Contains(dashboard.body, "We could not reach the identity provider; showing data from "))
      << dashboard.body;
  EXPECT_TRUE(std::regex_search(dashboard.body, std::regex(R"(showing data from \d\d:\d\d UTC)")));
  EXPECT_TRUE(Contains(dashboard.body, "<dd>Arlington</dd>"));
  ASSERT_EQ(profile.status, 200);
  EXPECT_TRUE(Contains(profile.body, "showing data from"));
  EXPECT_EQ(InputValue(profile.body, "city"), "Arlington");
}

}  // namespace
}  // namespace userdesk::integration
