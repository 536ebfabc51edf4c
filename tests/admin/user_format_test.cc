// How users are printed: the table's columns, CSV cells that no spreadsheet reads as a formula,
// the JSON array written page by page, and text from profiles made safe for a terminal.
#include "admin/user_format.h"

#include <gtest/gtest.h>

#include <sstream>

namespace userdesk::admin {
namespace {

okta::User Ada(const std::string& id = "00u1") {
  okta::User user;
  user.id = id;
  user.status = "ACTIVE";
  user.created = "2024-03-01T09:00:00.000Z";
  user.profile = {{"login", "ada@example.com"},
                  {"email", "ada@example.com"},
                  {"firstName", "Ada"},
                  {"lastName", "Lovelace"}};
  return user;
}

TEST(CsvCellTest, QuotesAndDefusesFormulas) {
  EXPECT_EQ(CsvCell("plain"), "plain");
  EXPECT_EQ(CsvCell(""), "");
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvCell("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvCell("=HYPERLINK(\"http://evil\")"), "\"'=HYPERLINK(\"\"http://evil\"\")\"");
  EXPECT_EQ(CsvCell("+1"), "'+1");
  EXPECT_EQ(CsvCell("-1"), "'-1");
  EXPECT_EQ(CsvCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvCell("\tx"), "'\tx");
}

TEST(UserListWriterTest, TableColumnsFitTheFirstPage) {
  std::ostringstream out;
  UserListWriter writer(ListFormat::kTable, out);
  okta::User bidi = Ada("00u2");
  bidi.profile["firstName"] = "Eve\u202E\x1b[31m";
  bidi.last_login = "2024-05-29T07:41:12.000Z";
  writer.Write({Ada(), bidi});
  writer.Write({Ada("00u3-a-longer-id-than-before")});
  writer.Finish();
  EXPECT_EQ(
      out.str(),
      "ID    STATUS  LOGIN            NAME                              LAST LOGIN\n"
      "00u1  ACTIVE  ada@example.com  Ada Lovelace                      -\n"
      "00u2  ACTIVE  ada@example.com  Eve\\xe2\\x80\\xae\\x1b[31m Lovelace  "
      "2024-05-29T07:41:12.000Z\n"
      // a later page's longer cell overflows the first page's widths
      "00u3-a-longer-id-than-before  ACTIVE  ada@example.com  Ada Lovelace                      -\n"
      "3 user(s)\n");
  EXPECT_EQ(writer.count(), 3u);
}

TEST(UserListWriterTest, EmptyListsInEachFormat) {
  for (auto [format, expected] :
       {std::pair{ListFormat::kTable, "ID  STATUS  LOGIN  NAME  LAST LOGIN\n0 user(s)\n"},
        std::pair{ListFormat::kJson, "[]\n"}, std::pair{ListFormat::kCsv, ""}}) {
    std::ostringstream out;
    UserListWriter writer(format, out);
    writer.Finish();
    EXPECT_EQ(out.str(), expected);
  }
}

TEST(UserListWriterTest, JsonIsOneArrayAcrossPages) {
  std::ostringstream out;
  UserListWriter writer(ListFormat::kJson, out);
  writer.Write({Ada("00u1")});
  writer.Write({});
  writer.Write({Ada("00u2"), Ada("00u3")});
  writer.Finish();
  std::optional<json::Document> doc = json::Parse(out.str());
  ASSERT_TRUE(doc && doc->IsArray()) << out.str();
  ASSERT_EQ(doc->Size(), 3u);
  EXPECT_EQ(json::GetString((*doc)[2], "id"), "00u3");
  EXPECT_TRUE(json::Member((*doc)[0], "lastLogin")->IsNull());
  EXPECT_EQ(json::GetString((*doc)[0], "created"), "2024-03-01T09:00:00.000Z");
  EXPECT_EQ(json::GetString(*json::GetObject((*doc)[0], "profile"), "lastName"), "Lovelace");
}

TEST(UserListWriterTest, CsvHasOneHeaderAndCrlfRows) {
  std::ostringstream out;
  UserListWriter writer(ListFormat::kCsv, out);
  okta::User odd = Ada("00u2");
  odd.profile["lastName"] = "=cmd|' /C calc'!A0";
  writer.Write({Ada()});
  writer.Write({odd});
  writer.Finish();
  EXPECT_EQ(out.str(),
            "id,status,login,email,firstName,lastName,created,activated,lastLogin,lastUpdated\r\n"
            "00u1,ACTIVE,ada@example.com,ada@example.com,Ada,Lovelace,2024-03-01T09:00:00.000Z,,,"
            "\r\n"
            "00u2,ACTIVE,ada@example.com,ada@example.com,Ada,'=cmd|' /C calc'!A0,"
            "2024-03-01T09:00:00.000Z,,,\r\n");
}

TEST(UserLabelTest, NameLoginAndId) {
  EXPECT_EQ(UserLabel(Ada()), "Ada Lovelace <ada@example.com> (00u1)");
  okta::User bare;
  bare.id = "00u9";
  bare.profile = {{"login", "x@example.com"}};
  EXPECT_EQ(UserLabel(bare), "x@example.com (00u9)");
}

TEST(ParseListFormatTest, ThreeNames) {
  EXPECT_EQ(ParseListFormat("table"), ListFormat::kTable);
  EXPECT_EQ(ParseListFormat("json"), ListFormat::kJson);
  EXPECT_EQ(ParseListFormat("csv"), ListFormat::kCsv);
  EXPECT_FALSE(ParseListFormat("CSV").has_value());
}

}  // namespace
}  // namespace userdesk::admin
