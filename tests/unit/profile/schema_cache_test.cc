#include "profile/schema_cache.h"

#include <gtest/gtest.h>

#include "support/manual_clock.h"

namespace userdesk::profile {
namespace {

using testing::ManualClock;

std::vector<Attribute> OneAttribute(const std::string& name) {
  Attribute a;
  a.name = name;
  return {a};
}

okta::Failure Unavailable() {
  return okta::Failure{MakeError(ErrorCode::kUnavailable, "down"), {}, 0};
}

TEST(SchemaCache, ReadOncePerPeriodThenAgainWithANewVersion) {
  ManualClock clock(1'000'000);
  SchemaCache cache(300, {}, clock.Fn());
  int reads = 0;
  auto fetch = [&]() -> okta::OktaResult<std::vector<Attribute>> {
    return OneAttribute("v" + std::to_string(++reads));
  };
  auto first = cache.Get(fetch);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->stale);
  clock.Advance(299'000);
  auto again = cache.Get(fetch);
  EXPECT_EQ(again->schema, first->schema);
  EXPECT_EQ(reads, 1);
  clock.Advance(1'000);
  auto next = cache.Get(fetch);
  EXPECT_EQ(reads, 2);
  EXPECT_NE(next->schema->version(), first->schema->version());
  EXPECT_NE(next->schema->Find("v2"), nullptr);
  EXPECT_EQ(cache.Known(), next->schema);
}

TEST(SchemaCache, AFailedReadKeepsTheCopyStaleAndBacksOff) {
  ManualClock clock(1'000'000);
  SchemaCache cache(60, {}, clock.Fn());
  bool up = true;
  int reads = 0;
  auto fetch = [&]() -> okta::OktaResult<std::vector<Attribute>> {
    reads++;
    if (!up) return Unavailable();
    return OneAttribute("a");
  };
  ASSERT_TRUE(cache.Get(fetch).ok());
  up = false;
  clock.Advance(61'000);
  auto stale = cache.Get(fetch);
  ASSERT_TRUE(stale.ok());
  EXPECT_TRUE(stale->stale);
  EXPECT_EQ(reads, 2);
  clock.Advance(5'000);  // within the back-off: Okta is left alone
  EXPECT_TRUE(cache.Get(fetch)->stale);
  EXPECT_EQ(reads, 2);
  up = true;
  clock.Advance(SchemaCache::kFailureBackoffMs);
  auto fresh = cache.Get(fetch);
  EXPECT_FALSE(fresh->stale);
  EXPECT_EQ(reads, 3);
}

TEST(SchemaCache, WithoutACopyAFailureIsTheAnswer) {
  SchemaCache cache(60, {}, ManualClock().Fn());
  auto got = cache.Get([]() -> okta::OktaResult<std::vector<Attribute>> { return Unavailable(); });
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().error.code, ErrorCode::kUnavailable);
  EXPECT_EQ(cache.Known(), nullptr);
}

TEST(SchemaCache, TheChosenFieldsApplyToEveryRead) {
  SchemaCache cache(60, {"b"}, ManualClock().Fn());
  auto got = cache.Get([]() -> okta::OktaResult<std::vector<Attribute>> {
    std::vector<Attribute> attributes = OneAttribute("a");
    attributes.push_back(OneAttribute("b")[0]);
    return attributes;
  });
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->schema->fields().size(), 1u);
  EXPECT_EQ(got->schema->fields()[0].name, "b");
}

}  // namespace
}  // namespace userdesk::profile
