// The MyAccount profile API over loopback HTTP, with access tokens from a real sign-in at the
// org authorization server: scopes, the version header, HIDE / sensitive / READ_ONLY
// attributes, the full replace of PUT, and permissions set through the Schemas API.
#include <gtest/gtest.h>

#include "mini_okta/oidc_flow.h"

namespace userdesk::mini_okta {
namespace {

using testing::ExpectOktaError;
using testing::kOrgPrefix;
using testing::ParseBody;
using testing::StringAt;

constexpr char kVersionAccept[] = "application/json; okta-version=1.0.0";
constexpr char kRead[] = "openid okta.myAccount.profile.read";
constexpr char kManage[] = "openid okta.myAccount.profile.manage";

class MyAccountProfileTest : public ::testing::Test {
 protected:
  void SetUp() override { h_.Start(); }

  // An org-server access token of the demo user with these scopes.
  std::string Token(const std::string& scope, const std::string& prefix = kOrgPrefix) {
    auto sign_in = testing::SignInWithForm(h_, testing::AuthorizePath(prefix, {{"scope", scope}}));
    json::Document body = ParseBody(testing::ExchangeCode(h_, prefix, sign_in.code));
    return StringAt(body, "access_token");
  }

  httplib::Headers Headers(const std::string& token, const std::string& accept = kVersionAccept) {
    httplib::Headers headers = {{"Authorization", "Bearer " + token}};
    if (!accept.empty()) headers.emplace("Accept", accept);
    return headers;
  }
  httplib::Result Get(const std::string& path, const std::string& token,
                      const std::string& accept = kVersionAccept) {
    return h_.Client().Get(path, Headers(token, accept));
  }
  httplib::Result Put(const std::string& token, const std::string& profile) {
    return h_.Client().Put("/idp/myaccount/profile", Headers(token),
                           R"({"profile":)" + profile + "}", "application/json");
  }
  // The schema change through the management API, as an administrator makes it.
  void ChangeSchema(const std::string& body) {
    auto res = h_.ApiPost("/api/v1/meta/schemas/user/default", body);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  }
  void SetProfileAsAdmin(const std::string& profile) {
    auto res = h_.ApiPost("/api/v1/users/00udemo0000000000001", R"({"profile":)" + profile + "}");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  }
  json::Document StoredProfile() {
    json::Document user = ParseBody(h_.ApiGet("/api/v1/users/00udemo0000000000001"));
    json::Document profile;
    if (const json::Value* p = json::GetObject(user, "profile")) {
      profile.CopyFrom(*p, profile.GetAllocator());
    }
    return profile;
  }

  testing::ServerHarness h_;
};

TEST_F(MyAccountProfileTest, ReadScopeGetsOktaShapedProfile) {
  auto res = Get("/idp/myaccount/profile", Token(kRead));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json;okta-version=1.0.0");
  json::Document body = ParseBody(res);
  EXPECT_NE(StringAt(body, "createdAt"), "<missing>");
  EXPECT_NE(StringAt(body, "modifiedAt"), "<missing>");
  const json::Value* profile = json::GetObject(body, "profile");
  ASSERT_NE(profile, nullptr);
  EXPECT_EQ(StringAt(*profile, "login"), "demo@example.com");
  EXPECT_EQ(StringAt(*profile, "firstName"), "Demo");
  // every attribute the user may see is there, null when it has no value
  ASSERT_NE(json::Member(*profile, "favoriteColor"), nullptr);
  EXPECT_TRUE(json::Member(*profile, "favoriteColor")->IsNull());
  const json::Value* links = json::GetObject(body, "_links");
  ASSERT_NE(links, nullptr);
  EXPECT_EQ(StringAt(*json::GetObject(*links, "self"), "href"),
            h_.server().base_url() + "/idp/myaccount/profile");
  EXPECT_EQ(StringAt(*json::GetObject(*links, "describedBy"), "href"),
            h_.server().base_url() + "/idp/myaccount/profile/schema");
}

TEST_F(MyAccountProfileTest, ManageScopeAlsoReads) {
  auto res = Get("/idp/myaccount/profile/schema", Token(kManage));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
}

TEST_F(MyAccountProfileTest, MissingScopeIs403WithChallenge) {
  std::string token = Token("openid profile");
  for (const char* path : {"/idp/myaccount/profile", "/idp/myaccount/profile/schema"}) {
    auto res = Get(path, token);
    ExpectOktaError(res, 403, "E0000006");
    std::string challenge = res->get_header_value("WWW-Authenticate");
    EXPECT_NE(challenge.find("error=\"insufficient_scope\""), std::string::npos) << challenge;
    EXPECT_NE(challenge.find("scope=\"okta.myAccount.profile.read\""), std::string::npos);
    EXPECT_NE(challenge.find(std::string("resource=\"") + path + "\""), std::string::npos);
  }
  // reading is not writing
  auto put = Put(Token(kRead), R"({"firstName":"Mallory"})");
  ExpectOktaError(put, 403, "E0000006");
  EXPECT_NE(put->get_header_value("WWW-Authenticate").find("okta.myAccount.profile.manage"),
            std::string::npos);
  EXPECT_EQ(StringAt(StoredProfile(), "firstName"), "Demo");
}

TEST_F(MyAccountProfileTest, MissingOrBadTokenIs401) {
  auto none = h_.Client().Get("/idp/myaccount/profile", {{"Accept", kVersionAccept}});
  ExpectOktaError(none, 401, "E0000011");
  EXPECT_EQ(none->get_header_value("WWW-Authenticate").rfind("Bearer ", 0), 0u);
  ExpectOktaError(Get("/idp/myaccount/profile", "not-a-token"), 401, "E0000011");
  // an API token is not a Bearer token, and an ID token is not an access token
  auto ssws = h_.Client().Get(
      "/idp/myaccount/profile",
      {{"Authorization", std::string("SSWS ") + testing::kApiToken}, {"Accept", kVersionAccept}});
  ExpectOktaError(ssws, 401, "E0000011");
  auto sign_in =
      testing::SignInWithForm(h_, testing::AuthorizePath(kOrgPrefix, {{"scope", kRead}}));
  json::Document tokens = ParseBody(testing::ExchangeCode(h_, kOrgPrefix, sign_in.code));
  auto id = Get("/idp/myaccount/profile", StringAt(tokens, "id_token"));
  ExpectOktaError(id, 401, "E0000011");
  EXPECT_NE(id->get_header_value("WWW-Authenticate").find("error=\"invalid_token\""),
            std::string::npos);
}

TEST_F(MyAccountProfileTest, DefaultServerNeitherGrantsNorServesMyAccountScopes) {
  // Okta grants okta.* scopes only at the org authorization server
  auto refused =
      h_.Client().Get(testing::AuthorizePath(testing::kDefaultPrefix, {{"scope", kRead}}));
  ASSERT_TRUE(refused);
  EXPECT_EQ(testing::LocationParams(refused)["error"], "invalid_scope");
  ExpectOktaError(Get("/idp/myaccount/profile", Token("openid", testing::kDefaultPrefix)), 401,
                  "E0000011");
}

TEST_F(MyAccountProfileTest, VersionHeaderIsRequired) {
  std::string token = Token(kManage);
  for (const char* accept : {"", "application/json", "application/json; okta-version=2.0.0",
                             "text/html; okta-version=1.0.0"}) {
    auto res = Get("/idp/myaccount/profile", token, accept);
    ExpectOktaError(res, 406, "E0000021");
  }
  auto put = h_.Client().Put("/idp/myaccount/profile",
                             {{"Authorization", "Bearer " + token}, {"Accept", "application/json"}},
                             R"({"profile":{}})", "application/json");
  ExpectOktaError(put, 406, "E0000021");
  // the forms Okta's own clients send
  for (const char* accept : {"application/json;okta-version=1.0.0", "*/*;okta-version=1.0.0",
                             "text/html, application/json; OKTA-VERSION=\"1.0.0\""}) {
    auto res = Get("/idp/myaccount/profile", token, accept);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << accept << ": " << res->body;
  }
}

TEST_F(MyAccountProfileTest, HiddenAndSensitiveAttributesAreInvisibleAndKept) {
  ChangeSchema(R"({"definitions":{"custom":{"id":"#custom","type":"object","properties":{
      "internalNote":{"title":"Internal note","type":"string",
                      "permissions":[{"principal":"SELF","action":"HIDE"}]},
      "taxId":{"title":"Tax id","type":"string","sensitive":true,
               "permissions":[{"principal":"SELF","action":"READ_WRITE"}]}}}}})");
  SetProfileAsAdmin(R"({"internalNote":"watch this one","taxId":"123-45"})");
  std::string token = Token(kManage);
  json::Document profile = ParseBody(Get("/idp/myaccount/profile", token));
  EXPECT_EQ(profile.FindMember("profile")->value.FindMember("internalNote"),
            profile.FindMember("profile")->value.MemberEnd());
  EXPECT_EQ(json::Member(*json::GetObject(profile, "profile"), "taxId"), nullptr);
  EXPECT_EQ(std::string(json::Write(profile)).find("watch this one"), std::string::npos);
  json::Document schema = ParseBody(Get("/idp/myaccount/profile/schema", token));
  const json::Value* props = json::GetObject(schema, "properties");
  ASSERT_NE(props, nullptr);
  EXPECT_NE(json::Member(*props, "favoriteColor"), nullptr);
  EXPECT_EQ(json::Member(*props, "internalNote"), nullptr);
  EXPECT_EQ(json::Member(*props, "taxId"), nullptr);

  auto refused =
      Put(token, R"({"login":"demo@example.com","email":"demo@example.com","firstName":"Demo",)"
                 R"("lastName":"User","internalNote":"nothing to see"})");
  ExpectOktaError(refused, 400, "E0000001");
  EXPECT_EQ(testing::ErrorCauses(refused),
            std::vector<std::string>{"Property name 'internalNote' is not defined in profile"});
  // a full replace leaves what the user cannot see as it was
  auto saved = Put(token, R"({"login":"demo@example.com","email":"demo@example.com",)"
                          R"("firstName":"Dee","lastName":"User"})");
  ASSERT_TRUE(saved);
  ASSERT_EQ(saved->status, 200) << saved->body;
  json::Document stored = StoredProfile();
  EXPECT_EQ(StringAt(stored, "firstName"), "Dee");
  EXPECT_EQ(StringAt(stored, "internalNote"), "watch this one");
  EXPECT_EQ(StringAt(stored, "taxId"), "123-45");
}

TEST_F(MyAccountProfileTest, ReadOnlyAttributesAreShownButNeverChanged) {
  ChangeSchema(R"({"definitions":{"custom":{"id":"#custom","type":"object","properties":{
      "birthdate":{"title":"Birthdate","type":"string","maxLength":10,
                   "permissions":[{"principal":"SELF","action":"READ_ONLY"}]}}}}})");
  SetProfileAsAdmin(R"({"birthdate":"1990-01-01"})");
  std::string token = Token(kManage);
  json::Document schema = ParseBody(Get("/idp/myaccount/profile/schema", token));
  const json::Value* birthdate =
      json::GetObject(*json::GetObject(schema, "properties"), "birthdate");
  ASSERT_NE(birthdate, nullptr);
  EXPECT_EQ(StringAt(*json::GetObject(*birthdate, "permissions"), "SELF"), "READ_ONLY");
  const std::string rest =
      R"("login":"demo@example.com","email":"demo@example.com","firstName":"Demo","lastName":"User")";

  auto changed = Put(token, "{" + rest + R"(,"birthdate":"2001-02-03"})");
  ExpectOktaError(changed, 400, "E0000001");
  ASSERT_EQ(testing::ErrorCauses(changed).size(), 1u);
  EXPECT_EQ(testing::ErrorCauses(changed)[0].rfind("birthdate: ", 0), 0u);
  EXPECT_EQ(StringAt(StoredProfile(), "birthdate"), "1990-01-01");
  // login is READ_ONLY by default, and the primary email changes only through its own endpoints
  ExpectOktaError(Put(token, R"({"login":"other@example.com","email":"demo@example.com",)"
                             R"("firstName":"Demo","lastName":"User"})"),
                  400, "E0000001");
  ExpectOktaError(Put(token, R"({"login":"demo@example.com","email":"new@example.com",)"
                             R"("firstName":"Demo","lastName":"User"})"),
                  400, "E0000001");
  // what was fetched can be sent back unchanged, and leaving a read-only attribute out keeps it
  auto echoed = Put(token, "{" + rest + R"(,"birthdate":"1990-01-01","favoriteColor":null})");
  ASSERT_TRUE(echoed);
  EXPECT_EQ(echoed->status, 200) << echoed->body;
  auto omitted = Put(token, "{" + rest + "}");
  ASSERT_TRUE(omitted);
  EXPECT_EQ(omitted->status, 200) << omitted->body;
  EXPECT_EQ(StringAt(StoredProfile(), "birthdate"), "1990-01-01");
}

TEST_F(MyAccountProfileTest, PutReplacesTheWritableProfileWhole) {
  ChangeSchema(R"({"definitions":{"custom":{"id":"#custom","type":"object","properties":{
      "favoriteColor":{"title":"Favorite color","type":"string","maxLength":20,
                       "permissions":[{"principal":"SELF","action":"READ_WRITE"}]}}}}})");
  SetProfileAsAdmin(R"({"nickName":"Dee","favoriteColor":"green","city":"Oslo"})");
  std::string token = Token(kManage);
  auto res =
      Put(token, R"({"login":"demo@example.com","email":"demo@example.com",)"
                 R"("firstName":"Demo","lastName":"Userson","city":null,"favoriteColor":"blue"})");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json;okta-version=1.0.0");
  json::Document body = ParseBody(res);
  EXPECT_EQ(StringAt(*json::GetObject(body, "profile"), "lastName"), "Userson");
  json::Document stored = StoredProfile();
  EXPECT_EQ(StringAt(stored, "lastName"), "Userson");
  EXPECT_EQ(StringAt(stored, "favoriteColor"), "blue");
  EXPECT_EQ(json::Member(stored, "nickName"), nullptr);  // not sent: removed
  EXPECT_EQ(json::Member(stored, "city"), nullptr);      // sent null: removed
  EXPECT_EQ(StringAt(stored, "login"), "demo@example.com");

  // a required attribute left out is blank, so the replace is refused as a whole
  auto blank =
      Put(token, R"({"login":"demo@example.com","email":"demo@example.com","lastName":"U"})");
  ExpectOktaError(blank, 400, "E0000001");
  EXPECT_EQ(testing::ErrorCauses(blank),
            std::vector<std::string>{"firstName: The field cannot be left blank"});
  ExpectOktaError(Put(token, R"({"login":"demo@example.com","email":"demo@example.com",)"
                             R"("firstName":"Demo","lastName":"User","favoriteColor":42})"),
                  400, "E0000001");
  EXPECT_EQ(StringAt(StoredProfile(), "lastName"), "Userson");
}

TEST_F(MyAccountProfileTest, WritesNeedARecentSignIn) {
  std::string token = Token(kManage);
  FaultSettings faults = h_.server().context().faults->Get();
  faults.clock_offset_seconds = 16 * 60;  // the token is still good; the sign-in is 16 min old
  h_.server().context().faults->Set(faults);
  auto res = Put(token, R"({"login":"demo@example.com","email":"demo@example.com",)"
                        R"("firstName":"Later","lastName":"User"})");
  ExpectOktaError(res, 403, "E0000006");
  EXPECT_NE(res->get_header_value("WWW-Authenticate").find("insufficient_authentication_context"),
            std::string::npos);
  EXPECT_EQ(StringAt(StoredProfile(), "firstName"), "Demo");
  auto read = Get("/idp/myaccount/profile", token);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200);
}

TEST_F(MyAccountProfileTest, SchemaShowsTypesConstraintsAndPermissions) {
  ChangeSchema(R"({"definitions":{"custom":{"id":"#custom","type":"object","properties":{
      "shirtSize":{"title":"Shirt size","type":"string","enum":["S","M"],
                   "oneOf":[{"const":"S","title":"Small"},{"const":"M","title":"Medium"}],
                   "permissions":[{"principal":"SELF","action":"READ_WRITE"}]},
      "newsletter":{"title":"Newsletter","type":"boolean",
                    "permissions":[{"principal":"SELF","action":"READ_WRITE"}]}}}}})");
  auto res = Get("/idp/myaccount/profile/schema", Token(kRead));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json;okta-version=1.0.0");
  json::Document body = ParseBody(res);
  const json::Value* links = json::GetObject(body, "_links");
  ASSERT_NE(links, nullptr);
  EXPECT_EQ(StringAt(*json::GetObject(*links, "self"), "href"),
            h_.server().base_url() + "/idp/myaccount/profile/schema");
  const json::Value& props = *json::GetObject(body, "properties");
  const json::Value& login = *json::GetObject(props, "login");
  EXPECT_EQ(StringAt(login, "title"), "Username");
  EXPECT_EQ(StringAt(login, "type"), "string");
  EXPECT_EQ(json::GetInt(login, "minLength"), 5);
  EXPECT_EQ(json::GetInt(login, "maxLength"), 100);
  EXPECT_EQ(json::GetBool(login, "required"), true);
  EXPECT_EQ(StringAt(*json::GetObject(login, "permissions"), "SELF"), "READ_ONLY");
  EXPECT_EQ(json::Member(login, "mutability"), nullptr);
  EXPECT_EQ(StringAt(*json::GetObject(*json::GetObject(props, "firstName"), "permissions"), "SELF"),
            "READ_WRITE");
  EXPECT_EQ(StringAt(*json::GetObject(props, "email"), "format"), "email");
  const json::Value& size = *json::GetObject(props, "shirtSize");
  EXPECT_EQ(json::GetArray(size, "enum")->Size(), 2u);
  EXPECT_EQ(StringAt((*json::GetArray(size, "oneOf"))[1], "title"), "Medium");
  EXPECT_EQ(StringAt(*json::GetObject(props, "newsletter"), "type"), "boolean");
  // a custom attribute created without permissions is READ_ONLY for the user, as in Okta
  EXPECT_EQ(
      StringAt(*json::GetObject(*json::GetObject(props, "favoriteColor"), "permissions"), "SELF"),
      "READ_ONLY");
}

TEST_F(MyAccountProfileTest, PermissionsSetThroughTheSchemasApiShowInMyAccount) {
  ChangeSchema(R"({"definitions":{
      "base":{"id":"#base","type":"object","properties":{
        "mobilePhone":{"permissions":[{"principal":"SELF","action":"HIDE"}]},
        "title":{"permissions":[{"principal":"SELF","action":"READ_ONLY"}]}}},
      "custom":{"id":"#custom","type":"object","properties":{
        "favoriteColor":{"title":"Favorite color","type":"string","maxLength":20,
                         "permissions":[{"principal":"SELF","action":"READ_WRITE"}]}}}}})");
  // the Schemas API answers with what was set
  json::Document admin_view = ParseBody(h_.ApiGet("/api/v1/meta/schemas/user/default"));
  const json::Value& defs = *json::GetObject(admin_view, "definitions");
  const json::Value& mobile = *json::GetObject(
      *json::GetObject(*json::GetObject(defs, "base"), "properties"), "mobilePhone");
  EXPECT_EQ(StringAt((*json::GetArray(mobile, "permissions"))[0], "action"), "HIDE");
  EXPECT_EQ(StringAt((*json::GetArray(mobile, "permissions"))[0], "principal"), "SELF");
  const json::Value& color = *json::GetObject(
      *json::GetObject(*json::GetObject(defs, "custom"), "properties"), "favoriteColor");
  EXPECT_EQ(StringAt((*json::GetArray(color, "permissions"))[0], "action"), "READ_WRITE");

  std::string token = Token(kManage);
  json::Document mine = ParseBody(Get("/idp/myaccount/profile/schema", token));
  const json::Value& props = *json::GetObject(mine, "properties");
  EXPECT_EQ(json::Member(props, "mobilePhone"), nullptr);
  EXPECT_EQ(StringAt(*json::GetObject(*json::GetObject(props, "title"), "permissions"), "SELF"),
            "READ_ONLY");
  EXPECT_EQ(
      StringAt(*json::GetObject(*json::GetObject(props, "favoriteColor"), "permissions"), "SELF"),
      "READ_WRITE");
  // and the profile API follows them
  auto saved = Put(token, R"({"login":"demo@example.com","email":"demo@example.com",)"
                          R"("firstName":"Demo","lastName":"User","favoriteColor":"teal"})");
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->status, 200) << saved->body;
  ExpectOktaError(Put(token, R"({"login":"demo@example.com","email":"demo@example.com",)"
                             R"("firstName":"Demo","lastName":"User","title":"Boss"})"),
                  400, "E0000001");
}

TEST_F(MyAccountProfileTest, SchemasApiRefusesMalformedPermissions) {
  for (const char* perms : {R"([{"principal":"SELF","action":"WRITE_ONLY"}])",
                            R"([{"principal":"ADMIN","action":"HIDE"}])", R"("HIDE")"}) {
    auto res =
        h_.ApiPost("/api/v1/meta/schemas/user/default",
                   std::string(R"({"definitions":{"custom":{"properties":{"favoriteColor":)"
                               R"({"title":"Favorite color","type":"string","permissions":)") +
                       perms + "}}}}}");
    ExpectOktaError(res, 400, "E0000001");
  }
  auto base = h_.ApiPost("/api/v1/meta/schemas/user/default",
                         R"({"definitions":{"base":{"properties":{"shoeSize":)"
                         R"({"permissions":[{"principal":"SELF","action":"HIDE"}]}}}}})");
  ExpectOktaError(base, 400, "E0000001");
}

TEST_F(MyAccountProfileTest, UnknownMethodsAndPathsAreOktaErrors) {
  std::string token = Token(kManage);
  ExpectOktaError(h_.Client().Delete("/idp/myaccount/profile", Headers(token)), 405, "E0000022");
  ExpectOktaError(Get("/idp/myaccount/nothing", token), 404, "E0000008");
}

}  // namespace
}  // namespace userdesk::mini_okta
