#include "json/json.h"

#include <gtest/gtest.h>

namespace userdesk::json {
namespace {

TEST(Json, TypedGettersCheckTypes) {
  auto doc = ParseObject(R"({"s":"x","n":5,"b":true,"o":{},"a":[]})");
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(GetString(*doc, "s"), "x");
  EXPECT_FALSE(GetString(*doc, "n").has_value());
  EXPECT_EQ(GetInt(*doc, "n"), 5);
  EXPECT_FALSE(GetInt(*doc, "s").has_value());
  EXPECT_EQ(GetBool(*doc, "b"), true);
  EXPECT_NE(GetObject(*doc, "o"), nullptr);
  EXPECT_EQ(GetObject(*doc, "a"), nullptr);
  EXPECT_NE(GetArray(*doc, "a"), nullptr);
  EXPECT_FALSE(GetString(*doc, "missing").has_value());
}

TEST(Json, RejectsMalformedAndNonObjects) {
  EXPECT_FALSE(Parse("{").has_value());
  EXPECT_FALSE(Parse("").has_value());
  EXPECT_FALSE(ParseObject("[1]").has_value());
  EXPECT_TRUE(Parse("[1]").has_value());
}

TEST(Json, MisuseThrowsInsteadOfUndefinedBehaviour) {
  auto doc = Parse("[1]");
  ASSERT_TRUE(doc.has_value());
  EXPECT_THROW((void)(*doc)["key"], std::logic_error);
}

TEST(Json, WriteEscapes) {
  Document d(rapidjson::kObjectType);
  d.AddMember("k", Str("a\"<\n", d.GetAllocator()), d.GetAllocator());
  EXPECT_EQ(Write(d), R"({"k":"a\"<\n"})");
}

TEST(Json, DeepNestingDoesNotOverflowTheStack) {
  // a provider (or anyone in between) can send this; a recursive parser would crash
  std::string deep(1 << 20, '[');
  EXPECT_FALSE(Parse(deep).has_value());
  std::string balanced = std::string(100000, '[') + std::string(100000, ']');
  auto doc = Parse(balanced);
  ASSERT_TRUE(doc.has_value());
  EXPECT_TRUE(doc->IsArray());
}

}  // namespace
}  // namespace userdesk::json
