// The profile responder's refusals, without FastCGI or Okta: what a save gets when the session
// ended while the form was open, or when the form's token belongs to an earlier session. Both keep
// what was typed; a post from another origin never gets it shown back. (Saving against Okta:
// tests/integration/profile_stack_test.cc; in a browser: tests/browser/journeys.test.mjs.)
#include "responders/profile/profile_handler.h"

#include <gtest/gtest.h>

#include "json/json.h"
#include "profile/profile_form.h"
#include "unit/responders/fake_okta.h"
#include "unit/responders/handler_testing.h"

namespace userdesk::responders::profile {
namespace {

// A post of the profile form with an edited city and a first name with markup in it.
http::Request SavePost(const char* csrf) {
  http::Request r;
  r.method = "POST";
  r.path = "/profile";
  r.headers["origin"] = testing::kTestOrigin;
  r.form = {{"csrf", csrf},          {"firstName", "Ada <b>"}, {"shown.firstName", "Ada"},
            {"city", "London"},      {"shown.city", ""},       {"birthdate", "1990-02-30"},
            {"shown.birthdate", ""}, {"lastName", "Lovelace"}, {"shown.lastName", "Lovelace"}};
  return r;
}

TEST(ProfileHandler, ASaveAfterTheSessionEndedKeepsWhatWasTypedAndOffersSignInInANewTab) {
  app::App app = testing::OfflineApp("profile");
  fcgi::Handler handler = MakeHandler(app);
  http::Request post = SavePost("csrf-of-an-ended-session");
  post.cookies[app.sessions.cookie_name()] = "v1.expired-or-tampered";
  http::Response r = handler(post);
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(testing::Contains(r.body, "Your session has expired, so nothing was saved"))
      << r.body;
  EXPECT_TRUE(testing::Contains(r.body, R"(value="London")")) << r.body;
  EXPECT_TRUE(testing::Contains(r.body, R"(value="Ada &lt;b&gt;")")) << r.body;
  EXPECT_FALSE(testing::Contains(r.body, "<b>\"")) << r.body;
  // the day that does not exist is still pointed out, as on any save
  EXPECT_TRUE(testing::Contains(r.body, R"(aria-describedby="birthdate-error")")) << r.body;
  EXPECT_TRUE(testing::Contains(r.body, R"(href="/login?returnTo=%2Fprofile" target="_blank")"))
      << r.body;
  // no token of any session in the form, the stale cookie cleared, nothing cached
  EXPECT_TRUE(testing::Contains(r.body, R"(name="csrf" value="")")) << r.body;
  EXPECT_TRUE(testing::Contains(testing::HeaderOf(r, "Set-Cookie"), "Max-Age=0"))
      << testing::HeaderOf(r, "Set-Cookie");
  EXPECT_TRUE(testing::Contains(testing::HeaderOf(r, "Cache-Control"), "no-store"));
}

TEST(ProfileHandler, ASaveWithoutASessionFromAnotherOriginGetsThePlainPage) {
  app::App app = testing::OfflineApp("profile");
  fcgi::Handler handler = MakeHandler(app);
  http::Request post = SavePost("x");
  post.headers["origin"] = "https://evil.example";
  http::Response r = handler(post);
  EXPECT_EQ(r.status, 401);
  EXPECT_FALSE(testing::Contains(r.body, "London")) << r.body;
  EXPECT_TRUE(testing::Contains(r.body, "Your session has expired")) << r.body;
}

TEST(ProfileHandler, ATokenFromAnEarlierSessionGivesTheFormBackWithThisSessionsToken) {
  app::App app = testing::OfflineApp("profile");
  fcgi::Handler handler = MakeHandler(app);
  session::Session session = testing::SignedInSession("Ada Lovelace", "csrf-of-this-session");
  http::Request post = SavePost("csrf-of-an-ended-session");
  post.cookies[app.sessions.cookie_name()] =
      app.sessions.IssueCookie(session, session::NowSeconds()).value;
  http::Response r = handler(post);
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(testing::Contains(r.body, "This form had expired, so nothing was saved")) << r.body;
  EXPECT_TRUE(testing::Contains(r.body, R"(value="London")")) << r.body;
  EXPECT_TRUE(testing::Contains(r.body, R"(name="csrf" value="csrf-of-this-session")")) << r.body;
  EXPECT_FALSE(testing::Contains(r.body, "target=\"_blank\"")) << r.body;

  // From another origin: the plain 403 page, nothing typed shown back.
  post.headers["origin"] = "https://evil.example";
  http::Response forged = handler(post);
  EXPECT_EQ(forged.status, 403);
  EXPECT_FALSE(testing::Contains(forged.body, "London")) << forged.body;
  // it still shows the header's name and sign-out token: never stored
  EXPECT_TRUE(testing::Contains(forged.body, "csrf-of-this-session")) << forged.body;
  EXPECT_EQ(testing::HeaderOf(forged, "Cache-Control"), "private, no-store");
  EXPECT_EQ(testing::HeaderOf(r, "Cache-Control"), "private, no-store");
}

TEST(ProfileHandler, ANotFoundPageSeenSignedInIsNeverStored) {
  app::App app = testing::OfflineApp("profile");
  http::Request get = testing::GetRequest("/profile/nope");
  get.cookies[app.sessions.cookie_name()] = app.sessions.Encode(testing::SignedInSession());
  http::Response r = MakeHandler(app)(get);
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(testing::Contains(r.body, "Signed in as")) << r.body;
  EXPECT_EQ(testing::HeaderOf(r, "Cache-Control"), "private, no-store");
}

// Field names are the sender's choice: the log line naming the ignored ones stays short and
// escaped however many there are and whatever they hold.
TEST(ProfileHandler, TheLoggedListOfIgnoredFieldsIsCappedAndEscaped) {
  testing::FakeOkta okta(testing::SchemaJson(testing::kTutorialBase, "{}"),
                         testing::UserJson(R"({"firstName":"x","lastName":"x","city":"x"})"));
  app::App app = testing::AppWithTemplates("profile", okta.Config());
  session::Session session = testing::SignedInSession("Ada Lovelace", "csrf-1");
  http::Request post = testing::SignedInPost(app, session, "/profile", {{"csrf", "csrf-1"}});
  for (const char* name : {"firstName", "lastName", "city"}) {  // nothing changed: no save
    post.form.emplace(name, "x");
    post.form.emplace("shown." + std::string(name), "x");
  }
  post.form.emplace("login", "evil@example.com");
  post.form.emplace("\x1b[2Jadmin", "1");
  for (int i = 0; i < 200; i++) {
    post.form.emplace("zz" + std::to_string(1000 + i) + std::string(500, 'y'), "1");
  }
  ::testing::internal::CaptureStderr();
  http::Response r = MakeHandler(app)(post);
  std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(r.status, 303);
  size_t at = log.find("ignored form fields that are not editable: ");
  ASSERT_NE(at, std::string::npos) << log;
  std::string line = log.substr(at, log.find('\n', at) - at);
  EXPECT_TRUE(testing::Contains(line, "\\x1b[2Jadmin, zz1000yyy")) << line;
  EXPECT_TRUE(testing::Contains(line, " (+191 more)")) << line;
  EXPECT_EQ(line.find('\x1b'), std::string::npos);
  EXPECT_LT(line.size(), 1000u) << line;
}

// Custom attributes of every type the form draws, and one of each permission.
std::string TypedSchema() {
  return testing::SchemaJson(
      testing::kTutorialBase,
      R"({"newsletter":{"title":"Newsletter","type":"boolean","permissions":[{"principal":"SELF","action":"READ_WRITE"}]},)"
      R"("shirtSize":{"title":"Shirt size","type":"string","enum":["S","M","L"],"oneOf":[{"const":"S","title":"Small"},{"const":"M","title":"Medium"},{"const":"L","title":"Large"}],"permissions":[{"principal":"SELF","action":"READ_WRITE"}]},)"
      R"("age":{"title":"Age","type":"integer","permissions":[{"principal":"SELF","action":"READ_WRITE"}]},)"
      R"("height":{"title":"Height","type":"number","permissions":[{"principal":"SELF","action":"READ_WRITE"}]},)"
      R"("homepage":{"title":"Homepage","type":"string","format":"uri","permissions":[{"principal":"SELF","action":"READ_WRITE"}]},)"
      R"("languages":{"title":"Languages","type":"array","items":{"type":"string"},"permissions":[{"principal":"SELF","action":"READ_WRITE"}]},)"
      R"("birthdate":{"title":"Birthdate","type":"string","permissions":[{"principal":"SELF","action":"READ_ONLY"}]},)"
      R"("internalNote":{"title":"Internal note","type":"string","permissions":[{"principal":"SELF","action":"HIDE"}]},)"
      R"("noPermissions":{"title":"Said nothing","type":"string"}})");
}

constexpr char kTypedUser[] =
    R"({"login":"ada@example.com","email":"ada@example.com","firstName":"Ada","lastName":"Lovelace",)"
    R"("city":"London","newsletter":true,"shirtSize":"M","age":36,"height":1.65,)"
    R"("languages":["en","fr"],"birthdate":"1815-12-10","internalNote":"VIP: do not upsell",)"
    R"("noPermissions":"quiet"})";

http::Request SignedInGet(const app::App& app, const session::Session& session) {
  http::Request get = testing::GetRequest("/profile");
  get.cookies[app.sessions.cookie_name()] = app.sessions.Encode(session);
  return get;
}

TEST(ProfileHandler, TheFormIsDrawnFromTheSchemaWithEachTypeAndPermission) {
  testing::FakeOkta okta(TypedSchema(), testing::UserJson(kTypedUser));
  app::App app = testing::AppWithTemplates("profile", okta.Config());
  session::Session session = testing::SignedInSession();
  http::Response r = MakeHandler(app)(SignedInGet(app, session));
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string& page = r.body;
  // labels from the schema's titles; the tutorial's fields first, in their order
  EXPECT_TRUE(testing::Contains(page, R"(<label for="firstName">First name)")) << page;
  size_t first = page.find(R"(id="firstName")"), city = page.find(R"(id="city")"),
         newsletter = page.find(R"(id="newsletter")");
  EXPECT_LT(first, city);
  EXPECT_LT(city, newsletter);
  // a boolean is a checkbox, ticked as Okta holds it
  EXPECT_TRUE(testing::Contains(
      page, R"(<input id="newsletter" name="newsletter" type="checkbox" value="true" checked>)"))
      << page;
  // enum/oneOf is a select with the titles, the value chosen
  EXPECT_TRUE(testing::Contains(page, R"(<select id="shirtSize" name="shirtSize">)")) << page;
  EXPECT_TRUE(testing::Contains(page, R"(<option value="M" selected>Medium</option>)")) << page;
  EXPECT_TRUE(testing::Contains(page, R"(<option value="L">Large</option>)")) << page;
  // numbers, a web address, a list one item per line
  EXPECT_TRUE(testing::Contains(page, R"(id="age" name="age" type="number" value="36" step="1")"))
      << page;
  EXPECT_TRUE(testing::Contains(page, R"(type="number" value="1.65" step="any")")) << page;
  EXPECT_TRUE(testing::Contains(page, R"(id="homepage" name="homepage" type="url")")) << page;
  EXPECT_TRUE(testing::Contains(page, ">en\nfr</textarea>")) << page;
  // READ_ONLY (and an attribute whose permissions say nothing, and login and email) shown,
  // disabled, with no shown.* twin: never posted
  EXPECT_TRUE(
      testing::Contains(page, R"(value="1815-12-10" maxlength="10" autocomplete="bday" disabled)"))
      << page;
  EXPECT_TRUE(testing::Contains(page, R"(value="quiet" disabled)")) << page;
  EXPECT_TRUE(testing::Contains(page, R"(value="ada@example.com" disabled)")) << page;
  EXPECT_FALSE(testing::Contains(page, R"(name="shown.birthdate")")) << page;
  EXPECT_FALSE(testing::Contains(page, R"(name="shown.email")")) << page;
  // HIDE is never shown
  EXPECT_FALSE(testing::Contains(page, "internalNote")) << page;
  EXPECT_FALSE(testing::Contains(page, "VIP")) << page;
}

TEST(ProfileHandler, ASaveSendsTypedValuesAndNeverAReadOnlyOne) {
  testing::FakeOkta okta(TypedSchema(), testing::UserJson(kTypedUser));
  app::App app = testing::AppWithTemplates("profile", okta.Config());
  session::Session session = testing::SignedInSession("Ada", "csrf-1");
  http::Request post =
      testing::SignedInPost(app, session, "/profile",
                            {{"csrf", "csrf-1"},
                             {"firstName", "Ada"},
                             {"shown.firstName", "Ada"},
                             {"lastName", "Lovelace"},
                             {"shown.lastName", "Lovelace"},
                             {"city", "London"},
                             {"shown.city", "London"},
                             {"shown.newsletter", "true"},  // unticked: a checkbox posts nothing
                             {"shirtSize", "L"},
                             {"shown.shirtSize", "M"},
                             {"age", "37"},
                             {"shown.age", "36"},
                             {"height", "1.7"},
                             {"shown.height", "1.65"},
                             {"homepage", ""},
                             {"shown.homepage", ""},
                             {"languages", "en\r\n\r\n de \r\n"},
                             {"shown.languages", "en\nfr"},
                             {"birthdate", "2000-01-01"},    // READ_ONLY, posted anyway
                             {"internalNote", "changed"}});  // HIDE, posted anyway
  ::testing::internal::CaptureStderr();
  http::Response r = MakeHandler(app)(post);
  std::string log = ::testing::internal::GetCapturedStderr();
  ASSERT_EQ(r.status, 303) << r.body;
  auto sent = json::Parse(okta.last_update());
  ASSERT_TRUE(sent.has_value()) << okta.last_update();
  const json::Value& profile = (*sent)["profile"];
  EXPECT_TRUE(profile["newsletter"].IsFalse());
  EXPECT_EQ(json::GetString(profile, "shirtSize"), "L");
  ASSERT_TRUE(profile["age"].IsInt());
  EXPECT_EQ(profile["age"].GetInt(), 37);
  ASSERT_TRUE(profile["height"].IsNumber());
  EXPECT_DOUBLE_EQ(profile["height"].GetDouble(), 1.7);
  ASSERT_TRUE(profile["languages"].IsArray());
  ASSERT_EQ(profile["languages"].Size(), 2u);
  EXPECT_STREQ(profile["languages"][1].GetString(), "de");
  // nothing unchanged, read-only or hidden is sent
  for (const char* name : {"firstName", "city", "homepage", "birthdate", "internalNote", "email"}) {
    EXPECT_FALSE(profile.HasMember(name)) << name;
  }
  EXPECT_TRUE(testing::Contains(log, "ignored read-only attributes posted anyway: birthdate"))
      << log;
  EXPECT_TRUE(testing::Contains(log, "not editable: internalNote")) << log;
}

TEST(ProfileHandler, TypedFieldsAreCheckedBeforeOktaIsAsked) {
  testing::FakeOkta okta(TypedSchema(), testing::UserJson(kTypedUser));
  app::App app = testing::AppWithTemplates("profile", okta.Config());
  session::Session session = testing::SignedInSession("Ada", "csrf-1");
  http::Request post = testing::SignedInPost(app, session, "/profile",
                                             {{"csrf", "csrf-1"},
                                              {"firstName", "Ada"},
                                              {"shown.firstName", "Ada"},
                                              {"lastName", "Lovelace"},
                                              {"shown.lastName", "Lovelace"},
                                              {"shirtSize", "XXL"},
                                              {"shown.shirtSize", "M"},
                                              {"age", "thirty"},
                                              {"shown.age", "36"},
                                              {"height", "nan"},
                                              {"shown.height", "1.65"},
                                              {"homepage", "javascript:alert(1)"},
                                              {"shown.homepage", ""}});
  http::Response r = MakeHandler(app)(post);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(okta.last_update(), "");
  EXPECT_TRUE(testing::Contains(r.body, "Choose one of the listed values for Shirt size."));
  EXPECT_TRUE(testing::Contains(r.body, "Age must be a whole number"));
  EXPECT_TRUE(testing::Contains(r.body, "Height must be a number"));
  EXPECT_TRUE(testing::Contains(r.body, "Homepage must be a web address"));
  // what was typed stays, escaped
  EXPECT_TRUE(testing::Contains(r.body, R"(value="thirty")")) << r.body;
  EXPECT_TRUE(testing::Contains(r.body, R"(<option value="XXL" selected>XXL</option>)")) << r.body;
}

TEST(ProfileHandler, AnAttributeAddedToTheSchemaShowsOnceTheSchemaCacheExpires) {
  testing::FakeOkta okta(testing::SchemaJson(testing::kTutorialBase, "{}"),
                         testing::UserJson(kTypedUser));
  config::Config cfg = okta.Config();
  cfg.schema_cache_seconds = 0;
  app::App app = testing::AppWithTemplates("profile", cfg);
  fcgi::Handler handler = MakeHandler(app);
  session::Session session = testing::SignedInSession();
  EXPECT_FALSE(testing::Contains(handler(SignedInGet(app, session)).body, R"(id="shirtSize")"));
  okta.SetSchema(TypedSchema());
  EXPECT_TRUE(testing::Contains(handler(SignedInGet(app, session)).body, R"(id="shirtSize")"));
}

TEST(ProfileHandler, PROFILE_FIELDSChoosesAndOrdersTheForm) {
  testing::FakeOkta okta(TypedSchema(), testing::UserJson(kTypedUser));
  config::Config cfg = okta.Config();
  cfg.profile_fields = {"shirtSize", "firstName", "internalNote"};  // a hidden one stays hidden
  app::App app = testing::AppWithTemplates("profile", cfg);
  http::Response r = MakeHandler(app)(SignedInGet(app, testing::SignedInSession()));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_LT(r.body.find(R"(id="shirtSize")"), r.body.find(R"(id="firstName")"));
  for (const char* absent : {R"(id="city")", R"(id="lastName")", "internalNote"}) {
    EXPECT_FALSE(testing::Contains(r.body, absent)) << absent;
  }
}

}  // namespace
}  // namespace userdesk::responders::profile
