#include "base/iso_time.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace userdesk {
namespace {

TEST(IsoTimestampTest, ParsesOktaTimestamps) {
  EXPECT_EQ(ParseIsoTimestampMs("2024-05-20T16:02:44.000Z"), 1716220964000);
  EXPECT_EQ(ParseIsoTimestampMs("2024-05-01T10:20:30.123Z"), 1714558830123);
  EXPECT_EQ(ParseIsoTimestampMs("2024-05-01T10:20:30Z"), 1714558830000);  // no milliseconds
  EXPECT_EQ(ParseIsoTimestampMs("1970-01-01T00:00:00.000Z"), 0);
  EXPECT_EQ(ParseIsoTimestampMs("2024-02-29T23:59:59.999Z"), 1709251199999);
}

TEST(IsoTimestampTest, RefusesOtherShapes) {
  for (const char* text :
       {"", "2024-05-01", "2024-05-01 10:20:30Z", "2024-05-01T10:20:30",
        "2024-05-01T10:20:30+02:00", "2024-05-01T10:20:30.1Z", "2024-05-01T10:20:30.000Zjunk",
        "2024-13-01T10:20:30Z", "2024-05-00T10:20:30Z", "2024-05-01T24:00:00Z",
        "2024-05-01T10:60:00Z", "２024-05-01T10:20:30Z", "-024-05-01T10:20:30Z"}) {
    EXPECT_EQ(ParseIsoTimestampMs(text), std::nullopt) << text;
  }
}

TEST(IsoTimestampTest, FormatsWithMillisecondsAndRoundTrips) {
  EXPECT_EQ(FormatIsoTimestampMs(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoTimestampMs(1714558830123), "2024-05-01T10:20:30.123Z");
  EXPECT_EQ(FormatIsoTimestampMs(-1), "1969-12-31T23:59:59.999Z");
  for (int64_t ms :
       {int64_t{0}, int64_t{1716220964000}, int64_t{1716220964007}, int64_t{4102444799999}}) {
    EXPECT_EQ(ParseIsoTimestampMs(FormatIsoTimestampMs(ms)), ms);
  }
}

}  // namespace
}  // namespace userdesk
