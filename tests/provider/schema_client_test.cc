// okta::SchemaClient over real loopback HTTP against mini-okta's Schemas API (reading the default
// user schema, adding, changing and removing custom attributes, Okta's refusals), and the exact
// request it sends, against a scripted server.
#include "okta/schema_client.h"

#include "provider_fixture.h"

namespace userdesk::provider_testing {
namespace {

namespace mt = mini_okta::testing;

class SchemaClientTest : public MiniOktaFixture {
 protected:
  okta::SchemaClient Client() { return okta::SchemaClient(QuickOktaOptions(BaseUrl())); }
};

json::Document Properties(const char* text) {
  std::optional<json::Document> doc = json::ParseObject(text);
  EXPECT_TRUE(doc.has_value()) << text;
  return doc ? std::move(*doc) : json::Document(rapidjson::kObjectType);
}

TEST_F(SchemaClientTest, ReadsBaseAndCustomAttributes) {
  okta::OktaResult<okta::UserSchema> schema = Client().GetUserSchema(mt::kApiToken);
  ASSERT_TRUE(schema.ok()) << schema.error().error.detail;
  ASSERT_NE(schema->base, nullptr);
  ASSERT_NE(schema->custom, nullptr);
  EXPECT_NE(schema->Attribute("login"), nullptr);
  EXPECT_NE(schema->Attribute("firstName"), nullptr);
  const json::Value* color = schema->Attribute("favoriteColor");
  ASSERT_NE(color, nullptr);
  EXPECT_EQ(json::GetString(*color, "title"), "Favorite color");
  EXPECT_EQ(json::GetInt(*color, "maxLength"), 20);
  EXPECT_EQ(schema->Attribute("birthdate"), nullptr);
  // the pointers survive a move of the schema
  okta::UserSchema moved = std::move(schema).value();
  EXPECT_EQ(json::GetString(*moved.Attribute("favoriteColor"), "title"), "Favorite color");
}

TEST_F(SchemaClientTest, AddsChangesAndRemovesInOnePartialUpdate) {
  okta::SchemaClient client = Client();
  json::Document update = Properties(
      R"({"birthdate": {"title": "Birthdate", "type": "string", "maxLength": 10},
          "favoriteColor": {"title": "Colour", "type": "string"}})");
  okta::OktaResult<okta::UserSchema> after = client.UpdateCustomProperties(mt::kApiToken, update);
  ASSERT_TRUE(after.ok()) << after.error().error.detail;
  EXPECT_EQ(json::GetInt(*after->Attribute("birthdate"), "maxLength"), 10);
  EXPECT_EQ(json::GetString(*after->Attribute("favoriteColor"), "title"), "Colour");
  EXPECT_FALSE(json::GetInt(*after->Attribute("favoriteColor"), "maxLength").has_value());
  // an attribute not named stays; null removes one
  after = client.UpdateCustomProperties(mt::kApiToken, Properties(R"({"favoriteColor": null})"));
  ASSERT_TRUE(after.ok()) << after.error().error.detail;
  EXPECT_EQ(after->Attribute("favoriteColor"), nullptr);
  EXPECT_NE(after->Attribute("birthdate"), nullptr);
  okta::OktaResult<okta::UserSchema> reread = client.GetUserSchema(mt::kApiToken);
  ASSERT_TRUE(reread.ok());
  EXPECT_EQ(reread->Attribute("favoriteColor"), nullptr);
}

TEST_F(SchemaClientTest, ARefusedDefinitionIsUnprocessableWithItsCause) {
  okta::OktaResult<okta::UserSchema> refused = Client().UpdateCustomProperties(
      mt::kApiToken, Properties(R"({"nickname2": {"type": "string"}})"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().error.code, ErrorCode::kUnprocessable);
  ASSERT_TRUE(refused.error().okta.has_value());
  ASSERT_EQ(refused.error().okta->causes.size(), 1u);
  EXPECT_TRUE(refused.error().okta->causes[0].starts_with("nickname2: "))
      << refused.error().okta->causes[0];
  okta::OktaResult<okta::UserSchema> no_token = Client().GetUserSchema("00wrong");
  ASSERT_FALSE(no_token.ok());
  EXPECT_EQ(no_token.error().okta->error_code, "E0000011");
}

TEST(SchemaClientScriptedTest, PostsThePropertiesUnderDefinitionsCustom) {
  RecordingProvider okta;
  okta.Answer("/api/v1/meta/schemas/user/default", 200,
              R"({"definitions": {"base": {"properties": {"login": {"type": "string"}}}}})");
  okta::SchemaClient client(QuickOktaOptions(okta.BaseUrl()));
  okta::OktaResult<okta::UserSchema> after =
      client.UpdateCustomProperties("00token", Properties(R"({"a": null})"));
  ASSERT_TRUE(after.ok()) << after.error().error.detail;
  EXPECT_EQ(after->custom, nullptr);  // Okta sent no custom definitions
  EXPECT_EQ(after->Attribute("a"), nullptr);
  RecordingProvider::Seen seen = okta.Last("/api/v1/meta/schemas/user/default");
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.authorization, "SSWS 00token");
  EXPECT_EQ(seen.content_type, "application/json");
  EXPECT_EQ(
      seen.body,
      R"({"definitions":{"custom":{"id":"#custom","type":"object","properties":{"a":null}}}})");
  // an answer that is not a user schema
  okta.Answer("/api/v1/meta/schemas/user/default", 200, R"({"definitions": {}})");
  okta::OktaResult<okta::UserSchema> odd = client.GetUserSchema("00token");
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.error().error.code, ErrorCode::kUpstreamUnavailable);
}

}  // namespace
}  // namespace userdesk::provider_testing
