// The user schema API over real HTTP: the document's shape, adding, changing and removing custom
// attributes, and that profile writes follow the schema as it changes.
#include <gtest/gtest.h>

#include "mini_okta/test_server.h"

namespace userdesk::mini_okta {
namespace {

using testing::ExpectOktaError;
using testing::NewUserBody;
using testing::ParseBody;
using testing::ServerHarness;
using testing::StringAt;

const json::Value* CustomProps(const json::Document& schema) {
  return json::GetObject(*json::GetObject(*json::GetObject(schema, "definitions"), "custom"),
                         "properties");
}

class SchemaApiTest : public ::testing::Test {
 protected:
  void SetUp() override { h_.Start(); }
  httplib::Result PostCustom(const std::string& properties) {
    return h_.ApiPost("/api/v1/meta/schemas/user/default",
                      R"({"definitions":{"custom":{"id":"#custom","type":"object","properties":)" +
                          properties + R"(,"required":[]}}})");
  }
  ServerHarness h_;
};

TEST_F(SchemaApiTest, GetReturnsBaseAndCustomDefinitions) {
  auto res = h_.ApiGet("/api/v1/meta/schemas/user/default");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  json::Document s = ParseBody(res);
  EXPECT_EQ(StringAt(s, "$schema"), "http://json-schema.org/draft-04/schema#");
  EXPECT_EQ(StringAt(s, "name"), "user");
  EXPECT_EQ(StringAt(s, "type"), "object");
  const json::Value* defs = json::GetObject(s, "definitions");
  const json::Value* base = json::GetObject(*defs, "base");
  EXPECT_EQ(StringAt(*base, "id"), "#base");
  const json::Value* login = json::GetObject(*json::GetObject(*base, "properties"), "login");
  EXPECT_EQ(StringAt(*login, "title"), "Username");
  EXPECT_EQ(json::GetInt(*login, "maxLength"), 100);
  EXPECT_EQ(json::GetBool(*login, "required"), true);
  std::vector<std::string> required;
  for (const auto& r : json::GetArray(*base, "required")->GetArray())
    required.emplace_back(r.GetString());
  EXPECT_EQ(required, (std::vector<std::string>{"login", "firstName", "lastName", "email"}));
  const json::Value* color = json::GetObject(*CustomProps(s), "favoriteColor");
  ASSERT_NE(color, nullptr);
  EXPECT_EQ(StringAt(*color, "title"), "Favorite color");
  EXPECT_EQ(json::GetInt(*color, "maxLength"), 20);
  EXPECT_EQ(StringAt(*json::GetObject(*color, "master"), "type"), "PROFILE_MASTER");
  const json::Value* all_of =
      json::GetArray(*json::GetObject(*json::GetObject(s, "properties"), "profile"), "allOf");
  EXPECT_EQ(all_of->Size(), 2u);
  // The schema's own id is accepted too (users link to it).
  std::string self = StringAt(*json::GetObject(*json::GetObject(s, "_links"), "self"), "href");
  auto by_id = h_.ApiGet(self.substr(h_.server().base_url().size()));
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->status, 200);
  ExpectOktaError(h_.ApiGet("/api/v1/meta/schemas/user/oscnope"), 404, "E0000007");
}

TEST_F(SchemaApiTest, AddChangeAndRemoveCustomAttribute) {
  ExpectOktaError(h_.ApiPost("/api/v1/users", NewUserBody("b1@example.com", "Str0ng-Passphrase",
                                                          R"(,"birthdate":"1815-12-10")")),
                  400, "E0000001");
  auto added = PostCustom(R"({"birthdate":{"title":"Birthdate","type":"string","maxLength":10}})");
  ASSERT_TRUE(added);
  ASSERT_EQ(added->status, 200) << added->body;
  json::Document s = ParseBody(added);
  EXPECT_NE(json::GetObject(*CustomProps(s), "birthdate"), nullptr);
  EXPECT_NE(json::GetObject(*CustomProps(s), "favoriteColor"), nullptr);  // untouched
  auto ok = h_.ApiPost("/api/v1/users", NewUserBody("b1@example.com", "Str0ng-Passphrase",
                                                    R"(,"birthdate":"1815-12-10")"));
  ASSERT_EQ(ok->status, 200) << ok->body;
  // Change: a shorter maxLength now refuses the same value.
  ASSERT_EQ(
      PostCustom(R"({"birthdate":{"title":"Birthdate","type":"string","maxLength":4}})")->status,
      200);
  ExpectOktaError(h_.ApiPost("/api/v1/users", NewUserBody("b2@example.com", "Str0ng-Passphrase",
                                                          R"(,"birthdate":"1815-12-10")")),
                  400, "E0000001");
  // Remove with null.
  auto removed = PostCustom(R"({"birthdate":null})");
  ASSERT_EQ(removed->status, 200);
  EXPECT_EQ(json::GetObject(*CustomProps(ParseBody(removed)), "birthdate"), nullptr);
  auto refused = h_.ApiPost("/api/v1/users", NewUserBody("b3@example.com", "Str0ng-Passphrase",
                                                         R"(,"birthdate":"1815")"));
  ExpectOktaError(refused, 400, "E0000001");
  EXPECT_EQ(testing::ErrorCauses(refused),
            std::vector<std::string>{"Property name 'birthdate' is not defined in profile"});
}

// Okta deletes an attribute's values with the attribute: users who had one lose it, and can be
// updated again (a stored value the schema no longer knows would refuse every partial update).
TEST_F(SchemaApiTest, RemovingAnAttributeRemovesItsValuesFromEveryUser) {
  auto created = h_.ApiPost("/api/v1/users", NewUserBody("c1@example.com", "Str0ng-Passphrase",
                                                         R"(,"favoriteColor":"teal")"));
  ASSERT_EQ(created->status, 200) << created->body;
  std::string id = StringAt(ParseBody(created), "id");
  ASSERT_EQ(PostCustom(R"({"favoriteColor":null})")->status, 200);
  auto user = h_.ApiGet("/api/v1/users/" + id);
  ASSERT_EQ(user->status, 200);
  EXPECT_EQ(json::Member(*json::GetObject(ParseBody(user), "profile"), "favoriteColor"), nullptr)
      << user->body;
  auto updated = h_.ApiPost("/api/v1/users/" + id, R"({"profile":{"city":"Paris"}})");
  EXPECT_EQ(updated->status, 200) << updated->body;
  // added back, the attribute starts empty
  ASSERT_EQ(PostCustom(R"({"favoriteColor":{"title":"Color","type":"string"}})")->status, 200);
  user = h_.ApiGet("/api/v1/users/" + id);
  EXPECT_EQ(json::Member(*json::GetObject(ParseBody(user), "profile"), "favoriteColor"), nullptr);
}

TEST_F(SchemaApiTest, TypedAndEnumeratedAttributes) {
  ASSERT_EQ(PostCustom(R"({"age":{"title":"Age","type":"integer","minimum":0},
                           "vip":{"title":"VIP","type":"boolean"},
                           "tier":{"title":"Tier","type":"string","enum":["gold","silver"]},
                           "tags":{"title":"Tags","type":"array","items":{"type":"string"}}})")
                ->status,
            200);
  auto good = h_.ApiPost("/api/v1/users",
                         NewUserBody("t@example.com", "Str0ng-Passphrase",
                                     R"(,"age":36,"vip":true,"tier":"gold","tags":["a","b"])"));
  ASSERT_EQ(good->status, 200) << good->body;
  std::string id = StringAt(ParseBody(good), "id");
  ExpectOktaError(h_.ApiPost("/api/v1/users/" + id, R"({"profile":{"age":"old"}})"), 400,
                  "E0000001");
  ExpectOktaError(h_.ApiPost("/api/v1/users/" + id, R"({"profile":{"age":-1}})"), 400, "E0000001");
  ExpectOktaError(h_.ApiPost("/api/v1/users/" + id, R"({"profile":{"vip":"yes"}})"), 400,
                  "E0000001");
  ExpectOktaError(h_.ApiPost("/api/v1/users/" + id, R"({"profile":{"tier":"bronze"}})"), 400,
                  "E0000001");
  ExpectOktaError(h_.ApiPost("/api/v1/users/" + id, R"({"profile":{"tags":[1]}})"), 400,
                  "E0000001");
}

TEST_F(SchemaApiTest, RefusesBadCustomDefinitions) {
  ExpectOktaError(PostCustom(R"({"Login":{"title":"Clash","type":"string"}})"), 400, "E0000001");
  ExpectOktaError(PostCustom(R"({"x":{"type":"string"}})"), 400, "E0000001");
  ExpectOktaError(PostCustom(R"({"x":{"title":"X","type":"date"}})"), 400, "E0000001");
  ExpectOktaError(h_.Client().Get("/api/v1/meta/schemas/user/default"), 401, "E0000011");
}

}  // namespace
}  // namespace userdesk::mini_okta
