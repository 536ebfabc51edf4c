// The profile responder's refusals, without FastCGI or Okta: what a save gets when the session
// ended while the form was open, or when the form's token belongs to an earlier session. Both keep
// what was typed; a post from another origin never gets it shown back. (Saving against Okta:
// tests/integration/profile_stack_test.cc; in a browser: tests/browser/journeys.test.mjs.)
#include "responders/profile/profile_handler.h"

#include <gtest/gtest.h>

#include "profile/profile_form.h"
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
  app::App app = testing::OfflineApp("profile");
  session::Session session = testing::SignedInSession("Ada Lovelace", "csrf-1");
  http::Request post = testing::SignedInPost(app, session, "/profile", {{"csrf", "csrf-1"}});
  for (const form::FieldSpec& field :
       userdesk::profile::kProfileFields) {  // nothing changed: no call to Okta
    post.form.emplace(std::string(field.name), "x");
    post.form.emplace("shown." + std::string(field.name), "x");
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
  EXPECT_TRUE(testing::Contains(line, "\\x1b[2Jadmin, login, zz1000yyy")) << line;
  EXPECT_TRUE(testing::Contains(line, " (+192 more)")) << line;
  EXPECT_EQ(line.find('\x1b'), std::string::npos);
  EXPECT_LT(line.size(), 1000u) << line;
}

}  // namespace
}  // namespace userdesk::responders::profile
