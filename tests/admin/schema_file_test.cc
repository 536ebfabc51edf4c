// The schema file's pure parts: its one text for given properties, reading it back, the
// differences with Okta's attributes, and the partial update that removes them.
#include "admin/schema_file.h"

#include <gtest/gtest.h>

namespace userdesk::admin {
namespace {

json::Document Json(const char* text) {
  std::optional<json::Document> doc = json::Parse(text);
  EXPECT_TRUE(doc.has_value()) << text;
  return doc ? std::move(*doc) : json::Document(rapidjson::kObjectType);
}

TEST(FormatSchemaFileTest, SortsKeysAndPutsEachAttributeInItsOwnBlock) {
  json::Document props = Json(R"({"zeta": {"type": "string", "title": "Z",
                                           "enum": ["b", "a"], "oneOf": [{"title": "B", "const": "b"}],
                                           "master": {}, "items": []},
                                  "alpha": {"title": "A\"\n", "type": "integer", "maximum": 1.5}})");
  EXPECT_EQ(FormatSchemaFile(props),
            "{\n"
            "  \"alpha\": {\n"
            "    \"maximum\": 1.5,\n"
            "    \"title\": \"A\\\"\\n\",\n"
            "    \"type\": \"integer\"\n"
            "  },\n"
            "\n"
            "  \"zeta\": {\n"
            "    \"enum\": [\"b\", \"a\"],\n"
            "    \"items\": [],\n"
            "    \"master\": {},\n"
            "    \"oneOf\": [\n"
            "      {\n"
            "        \"const\": \"b\",\n"
            "        \"title\": \"B\"\n"
            "      }\n"
            "    ],\n"
            "    \"title\": \"Z\",\n"
            "    \"type\": \"string\"\n"
            "  }\n"
            "}\n");
  EXPECT_EQ(FormatSchemaFile(Json("{}")), "{}\n");
  EXPECT_EQ(FormatSchemaFile(Json("null")), "{}\n");
}

TEST(FormatSchemaFileTest, ReadsBackToTheSameProperties) {
  json::Document props = Json(R"({"b": {"type": "string", "title": "B", "maxLength": 3},
                                  "a": {"title": "A", "type": "boolean", "permissions": [
                                        {"principal": "SELF", "action": "HIDE"}]}})");
  Result<json::Document> read = ReadSchemaFile(FormatSchemaFile(props), {"login"});
  ASSERT_TRUE(read.ok()) << read.error().detail;
  EXPECT_TRUE(*read == props);
  EXPECT_TRUE(DiffSchema(props, *read).empty());
}

TEST(ReadSchemaFileTest, NamesEveryProblem) {
  Result<json::Document> read =
      ReadSchemaFile(R"({"x": null, "y": 1, "EMAIL": {"title": "E", "type": "string"}, "y": {}})",
                     {"login", "email"});
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(read.error().detail,
            "x is null: leave an attribute out of the file to remove it\n"
            "y is not an object (an attribute's definition: title, type, ...)\n"
            "EMAIL is a base attribute of Okta's profile: the file holds custom attributes only\n"
            "y appears twice");
  EXPECT_EQ(ReadSchemaFile("[]", {}).error().detail,
            "it is not a JSON object of attribute name -> definition");
  EXPECT_EQ(ReadSchemaFile("{", {}).error().detail, "it is not JSON");
  EXPECT_TRUE(ReadSchemaFile("{}", {}).ok());
}

TEST(DiffSchemaTest, AddsChangesAndRemovesInNameOrder) {
  json::Document okta = Json(R"({"keep": {"title": "K", "type": "string", "scope": "NONE"},
                                 "change": {"title": "C", "type": "string", "maxLength": 5,
                                            "master": {"type": "PROFILE_MASTER"}},
                                 "gone": {"title": "G", "type": "string"}})");
  json::Document file = Json(R"({"new": {"type": "string", "title": "N", "pattern": null},
                                 "keep": {"title": "K", "type": "string"},
                                 "change": {"title": "C2", "type": "string", "minLength": 1}})");
  std::vector<AttributeChange> changes = DiffSchema(okta, file);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].name, "change");
  EXPECT_EQ(changes[0].kind, AttributeChange::Kind::kChange);
  ASSERT_EQ(changes[0].fields.size(), 3u);  // master: Okta's own, left out, not compared
  EXPECT_EQ(changes[0].fields[0].field, "maxLength");
  EXPECT_EQ(changes[0].fields[0].before, "5");
  EXPECT_EQ(changes[0].fields[0].after, "");
  EXPECT_EQ(changes[0].fields[1].field, "minLength");
  EXPECT_EQ(changes[0].fields[1].before, "");
  EXPECT_EQ(changes[0].fields[1].after, "1");
  EXPECT_EQ(changes[0].fields[2].field, "title");
  EXPECT_EQ(changes[0].fields[2].after, "\"C2\"");
  EXPECT_EQ(changes[1].name, "gone");
  EXPECT_EQ(changes[1].kind, AttributeChange::Kind::kRemove);
  EXPECT_EQ(changes[2].name, "new");
  EXPECT_EQ(changes[2].kind, AttributeChange::Kind::kAdd);
  ASSERT_EQ(changes[2].fields.size(), 2u);  // the null pattern is no field

  json::Document update = UpdateFor(okta, file, changes);
  EXPECT_TRUE(update == Json(R"({"change": {"title": "C2", "type": "string", "minLength": 1,
                                            "master": {"type": "PROFILE_MASTER"}},
                                 "gone": null,
                                 "new": {"type": "string", "title": "N"}})"))
      << json::Write(update);
}

TEST(DiffSchemaTest, NumbersCompareByValueAndArraysByOrder) {
  json::Document okta = Json(R"({"a": {"maximum": 10, "enum": ["x", "y"]}})");
  EXPECT_TRUE(DiffSchema(okta, Json(R"({"a": {"maximum": 10.0, "enum": ["x", "y"]}})")).empty());
  std::vector<AttributeChange> reordered =
      DiffSchema(okta, Json(R"({"a": {"maximum": 10, "enum": ["y", "x"]}})"));
  ASSERT_EQ(reordered.size(), 1u);
  ASSERT_EQ(reordered[0].fields.size(), 1u);
  EXPECT_EQ(reordered[0].fields[0].field, "enum");
  // a field left out or null, that Okta does not have either, is no change
  EXPECT_TRUE(DiffSchema(okta, Json(R"({"a": {"maximum": 10, "enum": ["x", "y"],
                                           "pattern": null}})"))
                  .empty());
  // nothing at Okta yet
  std::vector<AttributeChange> all = DiffSchema(Json("null"), Json(R"({"a": {"title": "A"}})"));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].kind, AttributeChange::Kind::kAdd);
}

TEST(DiffSchemaTest, OktasDefaultedFieldsLeftOutKeepOktasValue) {
  json::Document okta = Json(R"({"a": {"title": "A", "type": "string", "scope": "NONE",
                                       "mutability": "READ_WRITE", "master": {"type": "OKTA"},
                                       "permissions": [{"principal": "SELF", "action": "HIDE"}]}})");
  json::Document file = Json(R"({"a": {"title": "A2", "type": "string", "scope": "SELF"}})");
  std::vector<AttributeChange> changes = DiffSchema(okta, file);
  ASSERT_EQ(changes.size(), 1u);
  ASSERT_EQ(changes[0].fields.size(), 2u);
  EXPECT_EQ(changes[0].fields[0].field, "scope");
  EXPECT_EQ(changes[0].fields[1].field, "title");
  json::Document update = UpdateFor(okta, file, changes);
  EXPECT_TRUE(update == Json(R"({"a": {"title": "A2", "type": "string", "scope": "SELF",
                                       "mutability": "READ_WRITE", "master": {"type": "OKTA"},
                                       "permissions": [{"principal": "SELF", "action": "HIDE"}]}})"))
      << json::Write(update);
}

}  // namespace
}  // namespace userdesk::admin
