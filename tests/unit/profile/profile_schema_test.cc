#include "profile/profile_schema.h"

#include <gtest/gtest.h>

#include "profile/profile_form.h"

namespace userdesk::profile {
namespace {

json::Document Parsed(const std::string& text) {
  auto doc = json::Parse(text);
  EXPECT_TRUE(doc.has_value()) << text;
  return std::move(*doc);
}

std::vector<std::string> Names(const std::vector<Attribute>& attributes) {
  std::vector<std::string> names;
  for (const Attribute& a : attributes) names.push_back(a.name);
  return names;
}

std::string Schema(const std::string& base, const std::string& custom) {
  return R"({"definitions":{"base":{"properties":)" + base + R"(,"required":["lastName"]},)" +
         R"("custom":{"properties":)" + custom + "}}}";
}

constexpr char kRw[] = R"("permissions":[{"principal":"SELF","action":"READ_WRITE"}])";

std::string Attr(const std::string& body) { return "{" + body + "," + kRw + "}"; }

TEST(AttributesFromSchemasApi, TheTutorialsFieldsFirstThenTheSchemasOrder) {
  json::Document doc = Parsed(Schema(
      R"({"nickName":)" + Attr(R"("type":"string")") + R"(,"city":)" + Attr(R"("type":"string")") +
          R"(,"firstName":)" + Attr(R"("type":"string","title":"Given name")") + "}",
      R"({"zodiac":)" + Attr(R"("type":"string")") + R"(,"favoriteColor":)" +
          Attr(R"("type":"string")") + R"(,"birthdate":)" + Attr(R"("type":"string")") + "}"));
  auto got = AttributesFromSchemasApi(doc);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(Names(*got), (std::vector<std::string>{"firstName", "city", "birthdate",
                                                   "favoriteColor", "nickName", "zodiac"}));
  EXPECT_EQ((*got)[0].label, "Given name");            // the title
  EXPECT_EQ((*got)[4].label, "Nick Name");             // no title: Start Case
  EXPECT_EQ((*got)[2].input, form::InputType::kDate);  // the tutorial's birthdate is a date
  EXPECT_EQ((*got)[0].autocomplete, "given-name");
  EXPECT_EQ((*got)[0].max_length, 50u);  // the tutorial's limit where the schema sets none
}

TEST(AttributesFromSchemasApi, PermissionsHideAndReadOnly) {
  json::Document doc = Parsed(
      Schema(R"({"login":)" + Attr(R"("type":"string")") + R"(,"email":)" +
                 Attr(R"("type":"string")") + R"(,"secondEmail":)" + Attr(R"("type":"string")") +
                 R"(,"lastName":)" + Attr(R"("type":"string")") + "}",
             R"({"note":{"type":"string","permissions":[{"principal":"SELF","action":"HIDE"}]},)"
             R"("ro":{"type":"string","permissions":[{"principal":"SELF","action":"READ_ONLY"}]},)"
             R"("silent":{"type":"string"},)"
             R"("secret":{"type":"string","sensitive":true,)" +
                 std::string(kRw) + "}," + R"("hashed":{"type":"string","format":"hashed",)" + kRw +
                 "}}"));
  auto got = AttributesFromSchemasApi(doc);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(Names(*got), (std::vector<std::string>{"lastName", "login", "email", "secondEmail",
                                                   "ro", "silent"}));
  for (const Attribute& a : *got) {
    // identity attributes are never written through the form, whatever the schema says; an
    // attribute without a SELF permission is read-only (Okta's default for a new one)
    EXPECT_EQ(a.read_only, a.name != "lastName") << a.name;
  }
  EXPECT_TRUE((*got)[0].required);  // listed in definitions.base.required
}

TEST(AttributesFromSchemasApi, TypesFormatsAndOptions) {
  json::Document doc = Parsed(Schema(
      "{}",
      R"({"n":)" + Attr(R"("type":"integer")") + R"(,"x":)" + Attr(R"("type":"number")") +
          R"(,"b":)" + Attr(R"("type":"boolean")") + R"(,"u":)" +
          Attr(R"("type":"string","format":"uri","minLength":3,"maxLength":9)") + R"(,"e":)" +
          Attr(R"("type":"string","format":"email")") + R"(,"l":)" +
          Attr(R"("type":"array","items":{"type":"string","maxLength":5})") + R"(,"ln":)" +
          Attr(R"("type":"array","items":{"type":"integer"})") + R"(,"o":)" +
          Attr(R"("type":"object")") + R"(,"s":)" +
          Attr(
              R"("type":"string","enum":["a","b"],"oneOf":[{"const":"a","title":"Ay"},{"const":"b","title":"Bee"}])") +
          R"(,"si":)" + Attr(R"("type":"integer","enum":[1,2])") + "}"));
  auto got = AttributesFromSchemasApi(doc);
  ASSERT_TRUE(got.ok());
  auto find = [&](const char* name) {
    for (const Attribute& a : *got) {
      if (a.name == name) return a;
    }
    ADD_FAILURE() << name;
    return Attribute{};
  };
  EXPECT_EQ(find("n").input, form::InputType::kInteger);
  EXPECT_EQ(find("n").type, ValueType::kInteger);
  EXPECT_EQ(find("x").input, form::InputType::kNumber);
  EXPECT_EQ(find("b").input, form::InputType::kCheckbox);
  EXPECT_EQ(find("u").input, form::InputType::kUrl);
  EXPECT_EQ(find("u").min_length, 3u);
  EXPECT_EQ(find("u").max_length, 9u);
  EXPECT_EQ(find("e").input, form::InputType::kEmail);
  EXPECT_EQ(find("l").input, form::InputType::kTextList);
  EXPECT_EQ(find("l").max_length, 5u);
  EXPECT_FALSE(find("l").read_only);
  EXPECT_TRUE(find("ln").read_only);  // a list of numbers: shown, not edited here
  EXPECT_TRUE(find("o").read_only);
  EXPECT_EQ(find("s").input, form::InputType::kSelect);
  EXPECT_EQ(find("s").option_values, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(find("s").option_labels, (std::vector<std::string>{"Ay", "Bee"}));
  EXPECT_EQ(find("si").option_values, (std::vector<std::string>{"1", "2"}));
}

// An administrator could name an attribute like the form's own CSRF field: it is shown, never
// posted, so a page cannot carry two "csrf" inputs and a post cannot choose which one counts.
TEST(AttributesFromSchemasApi, AnAttributeNamedLikeTheFormsOwnFieldIsReadOnly) {
  json::Document doc = Parsed(Schema("{}", R"({"csrf":)" + Attr(R"("type":"string")") + "}"));
  auto got = AttributesFromSchemasApi(doc);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 1u);
  EXPECT_TRUE((*got)[0].read_only);
}

TEST(AttributesFromSchemasApi, NotASchemaIsUpstreamUnavailable) {
  for (const char* text : {"{}", R"({"definitions":{}})", R"({"definitions":{"base":[]}})"}) {
    auto got = AttributesFromSchemasApi(Parsed(text));
    ASSERT_FALSE(got.ok()) << text;
    EXPECT_EQ(got.error().code, ErrorCode::kUpstreamUnavailable);
  }
}

TEST(AttributesFromMyAccount, SelfPermissionsAsAnObject) {
  json::Document doc = Parsed(
      R"({"properties":{"firstName":{"type":"string","title":"First name","permissions":{"SELF":"READ_WRITE"}},)"
      R"("birthdate":{"type":"string","permissions":{"SELF":"READ_ONLY"}},)"
      R"("note":{"type":"string","permissions":{"SELF":"HIDE"}},)"
      R"("flag":{"type":"boolean","permissions":{"SELF":"READ_WRITE"}}}})");
  auto got = AttributesFromMyAccount(doc);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(Names(*got), (std::vector<std::string>{"firstName", "birthdate", "flag"}));
  EXPECT_FALSE((*got)[0].read_only);
  EXPECT_TRUE((*got)[1].read_only);
  EXPECT_EQ((*got)[2].input, form::InputType::kCheckbox);
  EXPECT_FALSE(AttributesFromMyAccount(Parsed("{}")).ok());
}

TEST(ProfileSchema, ChosenFieldsOrderTheFormAndTheRestStayVisible) {
  std::vector<Attribute> attributes(3);
  attributes[0].name = "a";
  attributes[1].name = "b";
  attributes[2].name = "c";
  attributes[2].option_values = {"x"};
  attributes[2].option_labels = {"Ex"};
  attributes[2].input = form::InputType::kSelect;
  auto schema = ProfileSchema::Make(attributes, {"c", "missing", "a"}, 7);
  ASSERT_EQ(schema->fields().size(), 2u);
  EXPECT_EQ(schema->fields()[0].name, "c");
  EXPECT_EQ(schema->fields()[0].options.size(), 1u);
  EXPECT_EQ(schema->fields()[0].options[0].label, "Ex");
  EXPECT_EQ(schema->fields()[1].name, "a");
  EXPECT_EQ(schema->form_attributes()[0]->name, "c");
  EXPECT_NE(schema->Find("b"), nullptr);  // the dashboard still sees it
  EXPECT_EQ(schema->Find("missing"), nullptr);
  EXPECT_EQ(schema->version(), 7u);
}

TEST(FormText, AListIsOneItemPerLine) {
  okta::User user;
  user.profile = {{"langs", "en, fr"}, {"city", "Paris"}};
  user.lists = {{"langs", {"en", "fr"}}};
  Attribute langs;
  langs.name = "langs";
  langs.type = ValueType::kStringList;
  Attribute city;
  city.name = "city";
  EXPECT_EQ(FormText(langs, user), "en\nfr");
  EXPECT_EQ(FormText(city, user), "Paris");
}

}  // namespace
}  // namespace userdesk::profile
