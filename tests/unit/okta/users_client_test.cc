// The Okta users client's pure parts: users and error objects as Okta writes them, Okta's
// timestamps as the client reads them, the 429 wait, the path escaping, and ids refused before any
// request. Calls over HTTP are in tests/provider/users_client_test.cc.
#include "okta/users_client.h"

#include <gtest/gtest.h>

#include "http/http_client.h"

namespace userdesk::okta {
namespace {

// The facts sheet's composed example (docs/okta-api.md §2.2), trimmed.
constexpr char kAda[] = R"({
  "id": "00u1a2b3c4D5e6F7g8h9",
  "status": "ACTIVE",
  "created": "2024-03-01T09:00:00.000Z",
  "lastLogin": null,
  "lastUpdated": "2024-05-20T16:02:44.000Z",
  "type": { "id": "oty1exampleTYPE" },
  "profile": {
    "login": "ada@example.com", "email": "ada@example.com",
    "firstName": "Ada", "lastName": "Lovelace",
    "mobilePhone": null, "city": "London", "countryCode": "GB",
    "favoriteColor": "green"
  },
  "credentials": { "password": {}, "provider": { "type": "OKTA", "name": "OKTA" } },
  "_links": { "self": { "href": "https://example.okta.com/api/v1/users/00u1a2b3c4D5e6F7g8h9" } }
})";

TEST(ParseUserTest, ReadsIdStatusLastUpdatedAndProfile) {
  Result<User> user = ParseUser(kAda);
  ASSERT_TRUE(user.ok()) << user.error().detail;
  EXPECT_EQ(user->id, "00u1a2b3c4D5e6F7g8h9");
  EXPECT_EQ(user->status, "ACTIVE");
  EXPECT_EQ(user->last_updated, "2024-05-20T16:02:44.000Z");
  EXPECT_EQ(user->last_updated_ms, 1716220964000);
  EXPECT_EQ(user->Attribute("login"), "ada@example.com");
  EXPECT_EQ(user->Attribute("firstName"), "Ada");
  EXPECT_EQ(user->Attribute("favoriteColor"), "green");
  EXPECT_EQ(user->profile.size(), 7u);  // mobilePhone (null) is left out
}

TEST(ParseUserTest, NullsAreLeftOutAndAbsentAttributesAreEmpty) {
  Result<User> user = ParseUser(kAda);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->profile.count("mobilePhone"), 0u);
  EXPECT_EQ(user->Attribute("mobilePhone"), "");
  EXPECT_EQ(user->Attribute("nickName"), "");
  // the empty string is one static object, so a reference to it outlives the user
  EXPECT_EQ(&user->Attribute("a"), &user->Attribute("b"));
}

TEST(ParseUserTest, NumbersAndBooleansAsTheirJsonText) {
  Result<User> user =
      ParseUser(R"({"id":"00u1","profile":{"age":42,"score":-1.5,"big":12345678901234,"vip":true,)"
                R"("guest":false,"zero":0}})");
  ASSERT_TRUE(user.ok()) << user.error().detail;
  EXPECT_EQ(user->Attribute("age"), "42");
  EXPECT_EQ(user->Attribute("score"), "-1.5");
  EXPECT_EQ(user->Attribute("big"), "12345678901234");
  EXPECT_EQ(user->Attribute("vip"), "true");
  EXPECT_EQ(user->Attribute("guest"), "false");
  EXPECT_EQ(user->Attribute("zero"), "0");
}

TEST(ParseUserTest, ArraysOfScalarsJoinedObjectsLeftOut) {
  Result<User> user = ParseUser(
      R"({"id":"00u1","profile":{"langs":["en","fr"],"mixed":[1,true,"x",null],"empty":[],)"
      R"("nested":{"a":"b"},"arrayOfObjects":[{"a":1}],"arrayOfArrays":[["a"]],)"
      R"("text":"a, b","html":"<b>&amp;</b>"}})");
  ASSERT_TRUE(user.ok()) << user.error().detail;
  EXPECT_EQ(user->Attribute("langs"), "en, fr");
  EXPECT_EQ(user->Attribute("mixed"), "1, true, x");
  EXPECT_EQ(user->profile.count("empty"), 1u);
  EXPECT_EQ(user->Attribute("empty"), "");
  EXPECT_EQ(user->profile.count("nested"), 0u);
  EXPECT_EQ(user->profile.count("arrayOfObjects"), 0u);
  EXPECT_EQ(user->profile.count("arrayOfArrays"), 0u);
  EXPECT_EQ(user->Attribute("text"), "a, b");
  EXPECT_EQ(user->Attribute("html"), "<b>&amp;</b>");  // as is: escaping is the page's job
}

TEST(ParseUserTest, KeepsUtf8AndEscapedCharacters) {
  Result<User> user =
      ParseUser(R"({"id":"00u1","profile":{"firstName":"Zoë","lastName":"O\"Brien\u00e9\n"}})");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->Attribute("firstName"), "Zoë");
  EXPECT_EQ(user->Attribute("lastName"), "O\"Brien\xC3\xA9\n");
}

TEST(ParseUserTest, StatusAndLastUpdatedAreOptional) {
  Result<User> user = ParseUser(R"({"id":"00u1","profile":{}})");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->status, "");
  EXPECT_EQ(user->last_updated, "");
  EXPECT_EQ(user->last_updated_ms, 0);
  EXPECT_TRUE(user->profile.empty());

  Result<User> odd = ParseUser(R"({"id":"00u1","profile":{},"lastUpdated":"yesterday"})");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->last_updated, "yesterday");
  EXPECT_EQ(odd->last_updated_ms, 0);
}

TEST(ParseUserTest, RefusesWhatIsNotAUser) {
  for (const char* body : {
           R"({"profile":{"login":"a@example.com"}})",        // no id
           R"({"id":"","profile":{}})",                       // empty id
           R"({"id":42,"profile":{}})",                       // id not a string
           R"({"id":"00u1"})",                                // no profile
           R"({"id":"00u1","profile":null})",                 // profile null
           R"({"id":"00u1","profile":["login"]})",            // profile not an object
           R"([{"id":"00u1","profile":{}}])",                 // a list, not a user
           R"({"errorCode":"E0000007","errorSummary":"x"})",  // an error object
           "<html>502 Bad Gateway</html>",                    // not JSON
           "",                                                // nothing
           R"({"id":"00u1","profile":{})",                    // truncated
       }) {
    Result<User> user = ParseUser(body);
    ASSERT_FALSE(user.ok()) << body;
    EXPECT_EQ(user.error().code, ErrorCode::kUpstreamUnavailable) << body;
  }
}

TEST(ParseOktaErrorTest, ReadsCodeSummaryIdAndCauses) {
  std::optional<OktaError> error = ParseOktaError(
      R"({"errorCode":"E0000001","errorSummary":"Api validation failed: profile",)"
      R"("errorLink":"E0000001","errorId":"oaeAbC123example","errorCauses":[)"
      R"({"errorSummary":"firstName: The field cannot be left blank"},)"
      R"({"errorSummary":"login: An object with this field already exists","reason":"X"}]})",
      400);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->http_status, 400);
  EXPECT_EQ(error->error_code, "E0000001");
  EXPECT_EQ(error->error_summary, "Api validation failed: profile");
  EXPECT_EQ(error->error_id, "oaeAbC123example");
  ASSERT_EQ(error->causes.size(), 2u);
  EXPECT_EQ(error->causes[0], "firstName: The field cannot be left blank");
  EXPECT_EQ(error->causes[1], "login: An object with this field already exists");
}

TEST(ParseOktaErrorTest, EmptyOrOddCausesAreSkipped) {
  std::optional<OktaError> error = ParseOktaError(
      R"j({"errorCode":"E0000007","errorSummary":"Not found: Resource not found: x (User)",)j"
      R"("errorCauses":[]})",
      404);
  ASSERT_TRUE(error.has_value());
  EXPECT_TRUE(error->causes.empty());
  EXPECT_EQ(error->error_id, "");

  std::optional<OktaError> odd = ParseOktaError(
      R"({"errorCode":"E0000001","errorCauses":[42,null,{"reason":"x"},{"errorSummary":7},)"
      R"({"errorSummary":"kept"}]})",
      400);
  ASSERT_TRUE(odd.has_value());
  EXPECT_EQ(odd->error_summary, "");
  ASSERT_EQ(odd->causes.size(), 1u);
  EXPECT_EQ(odd->causes[0], "kept");

  std::optional<OktaError> not_array =
      ParseOktaError(R"({"errorCode":"E0000001","errorCauses":{"errorSummary":"x"}})", 400);
  ASSERT_TRUE(not_array.has_value());
  EXPECT_TRUE(not_array->causes.empty());
}

TEST(ParseOktaErrorTest, NulloptWhenNotAnOktaErrorObject) {
  for (const char* body : {
           R"({"error":"invalid_client","error_description":"x"})",  // OAuth's error shape
           R"({"errorCode":"","errorSummary":"x"})",
           R"({"errorCode":7})",
           R"({"id":"00u1","profile":{}})",
           R"(["E0000001"])",
           "<html><body>502 Bad Gateway</body></html>",
           "",
           "{",
       }) {
    EXPECT_FALSE(ParseOktaError(body, 502).has_value()) << body;
  }
}

TEST(HttpDateTest, ParsesImfFixdate) {
  EXPECT_EQ(http::ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(http::ParseHttpDate("Mon, 20 May 2024 16:02:44 GMT"), 1716220964);
  // the obsolete forms RFC 7231 §7.1.1.1 asks recipients to accept
  EXPECT_EQ(http::ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
  EXPECT_EQ(http::ParseHttpDate("Sun Nov  6 08:49:37 1994"), 784111777);
  for (const char* text : {"", "soon", "Xyz, 99 Foo 1994 25:61:37 GMT"}) {
    EXPECT_EQ(http::ParseHttpDate(text), std::nullopt) << text;
  }
}

// X-Rate-Limit-Reset minus Okta's Date, plus one second (okta-sdk-nodejs's rule).
TEST(RateLimitWaitTest, MeasuresTheResetAgainstOktasDate) {
  const int64_t far_local_clock = 1'900'000'000'000;  // must not matter when Date is usable
  EXPECT_EQ(RateLimitWaitMs("784111787", "Sun, 06 Nov 1994 08:49:37 GMT", far_local_clock), 11000);
  EXPECT_EQ(RateLimitWaitMs("784111777", "Sun, 06 Nov 1994 08:49:37 GMT", far_local_clock), 1000);
  EXPECT_EQ(RateLimitWaitMs(" 784111778 ", "Sun, 06 Nov 1994 08:49:37 GMT", far_local_clock), 2000);
}

TEST(RateLimitWaitTest, ANeverNegativeWaitWhenTheResetIsPast) {
  EXPECT_EQ(RateLimitWaitMs("784111700", "Sun, 06 Nov 1994 08:49:37 GMT", 0), 0);
  EXPECT_EQ(RateLimitWaitMs("0", "", 5'000'000), 0);
}

TEST(RateLimitWaitTest, FallsBackToTheLocalClockWithoutAUsableDate) {
  const int64_t now_ms = 784111777500;
  EXPECT_EQ(RateLimitWaitMs("784111787", "", now_ms), 10500);
  EXPECT_EQ(RateLimitWaitMs("784111787", "yesterday", now_ms), 10500);
  EXPECT_EQ(RateLimitWaitMs("784111787", "Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994", now_ms),
            10500);
}

TEST(RateLimitWaitTest, NoWaitWithoutOneUsableReset) {
  const char* date = "Sun, 06 Nov 1994 08:49:37 GMT";
  for (const char* reset : {"", " ", "soon", "784111787, 784111787", "784111787,784111788", "-5",
                            "+784111787", "784111787.5", "1e9", "9999999999999999999999"}) {
    EXPECT_EQ(RateLimitWaitMs(reset, date, 0), std::nullopt) << reset;
  }
}

TEST(EscapePathSegmentTest, KeepsUnreservedAndEscapesTheRest) {
  EXPECT_EQ(http::EscapePathSegment("00u1a2b3c4D5e6F7g8h9"), "00u1a2b3c4D5e6F7g8h9");
  EXPECT_EQ(http::EscapePathSegment("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(http::EscapePathSegment("ada@example.com"), "ada%40example.com");
  EXPECT_EQ(http::EscapePathSegment("../me?x=1#f"), "..%2Fme%3Fx%3D1%23f");
  EXPECT_EQ(http::EscapePathSegment("a b+c%d"), "a%20b%2Bc%25d");
  EXPECT_EQ(http::EscapePathSegment("é\r\n"), "%C3%A9%0D%0A");
  EXPECT_EQ(http::EscapePathSegment(""), "");
}

TEST(ParseUserTest, ReadsTheOtherTimestampsNullAsEmpty) {
  Result<User> user = ParseUser(kAda);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->created, "2024-03-01T09:00:00.000Z");
  EXPECT_EQ(user->last_login, "");  // null
  EXPECT_EQ(user->activated, "");   // absent
  EXPECT_EQ(user->status_changed, "");
  EXPECT_EQ(user->password_changed, "");
}

TEST(ParseUsersTest, ReadsAnArrayOfUsers) {
  Result<std::vector<User>> users =
      ParseUsers(std::string("[") + kAda + R"(,{"id":"00u2","status":"STAGED","profile":{}}])");
  ASSERT_TRUE(users.ok()) << users.error().detail;
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].Attribute("login"), "ada@example.com");
  EXPECT_EQ((*users)[1].id, "00u2");
  EXPECT_EQ((*users)[1].status, "STAGED");
  Result<std::vector<User>> empty = ParseUsers("[]");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(ParseUsersTest, RefusesWhatIsNotAListOfUsers) {
  for (const char* text : {"", "{}", R"({"id":"00u1","profile":{}})", "[1]", R"([{"id":"x"}])"}) {
    Result<std::vector<User>> users = ParseUsers(text);
    ASSERT_FALSE(users.ok()) << text;
    EXPECT_EQ(users.error().code, ErrorCode::kUpstreamUnavailable) << text;
  }
}

// docs/okta-api.md §2.9: Okta sends one Link header per relation; http::Fetch joins repeats with
// ", ". RFC 8288 also allows one header with several links and other parameters.
TEST(NextLinkTest, FindsRelNextAmongTheLinks) {
  EXPECT_EQ(NextLink(R"(<https://o.example/api/v1/users?limit=2>; rel="self", )"
                     R"(<https://o.example/api/v1/users?after=00u2&limit=2>; rel="next")"),
            "https://o.example/api/v1/users?after=00u2&limit=2");
  EXPECT_EQ(NextLink(R"(<https://o.example/a?x=1,2>; title="a, b; c"; rel=next)"),
            "https://o.example/a?x=1,2");
  EXPECT_EQ(NextLink(R"(<https://o.example/n>; REL="prev NEXT")"), "https://o.example/n");
  EXPECT_EQ(NextLink(R"(<https://o.example/n> ; rel = "next")"), "https://o.example/n");
}

TEST(NextLinkTest, EmptyOnTheLastPageOrABrokenHeader) {
  EXPECT_EQ(NextLink(""), "");
  EXPECT_EQ(NextLink(R"(<https://o.example/api/v1/users?limit=2>; rel="self")"), "");
  EXPECT_EQ(NextLink(R"(<https://o.example/n>; rel="nextpage")"), "");
  EXPECT_EQ(NextLink(R"(<https://o.example/n; rel="next")"), "");
  EXPECT_EQ(NextLink(R"(https://o.example/n; rel="next")"), "");
}

// Ids that would not name one user are refused before any request (the org URL is never used).
TEST(UsersClientTest, RefusesIdsThatDoNotNameOneUser) {
  ClientOptions options;
  options.org_url = "http://127.0.0.1:1";
  UsersClient client(options);
  for (const char* id : {"", ".", ".."}) {
    OktaResult<User> got = client.GetUser("token", id);
    ASSERT_FALSE(got.ok()) << id;
    EXPECT_EQ(got.error().error.code, ErrorCode::kInvalidArgument) << id;
    EXPECT_FALSE(got.error().okta.has_value());
    OktaResult<User> updated = client.UpdateProfile("token", id, {{"firstName", "Ada"}});
    ASSERT_FALSE(updated.ok()) << id;
    EXPECT_EQ(updated.error().error.code, ErrorCode::kInvalidArgument) << id;
    OktaResult<bool> changed = client.ChangeStatus("token", id, Lifecycle::kSuspend);
    ASSERT_FALSE(changed.ok()) << id;
    EXPECT_EQ(changed.error().error.code, ErrorCode::kInvalidArgument) << id;
    OktaResult<bool> deleted = client.DeleteUser("token", id);
    ASSERT_FALSE(deleted.ok()) << id;
    EXPECT_EQ(deleted.error().error.code, ErrorCode::kInvalidArgument) << id;
  }
}

}  // namespace
}  // namespace userdesk::okta
