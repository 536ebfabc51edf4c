#include "base/strings.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace userdesk {
namespace {

TEST(ParseInteger, ReadsTheWholeTextAsADecimalNumber) {
  EXPECT_EQ(ParseInteger<int>("0"), 0);
  EXPECT_EQ(ParseInteger<int>("300"), 300);
  EXPECT_EQ(ParseInteger<int64_t>("-5"), -5);
  EXPECT_EQ(ParseInteger<int64_t>("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(ParseInteger<size_t>("007"), 7u);
}

TEST(ParseInteger, RefusesAnythingElse) {
  for (const char* text : {"", " 1", "1 ", "+1", "1.5", "1e3", "0x10", "12abc", "-", "--1"}) {
    EXPECT_EQ(ParseInteger<int>(text), std::nullopt) << text;
  }
  EXPECT_EQ(ParseInteger<size_t>("-1"), std::nullopt);       // no sign for an unsigned type
  EXPECT_EQ(ParseInteger<int>("2147483648"), std::nullopt);  // out of range
  EXPECT_EQ(ParseInteger<int64_t>("99999999999999999999"), std::nullopt);
}

TEST(TrimSpace, RemovesSpacesTabsAndLineEndsAtBothEnds) {
  EXPECT_EQ(TrimSpace(" \t a b \r\n"), "a b");
  EXPECT_EQ(TrimSpace("   "), "");
  EXPECT_EQ(TrimSpace("x"), "x");
}

}  // namespace
}  // namespace userdesk
