#include "account/reset_cooldown.h"

#include <gtest/gtest.h>

#include <string>

namespace userdesk::account {
namespace {

constexpr int64_t kMinute = 60 * 1000;

std::string Address(int i) { return "user" + std::to_string(i) + "@example.com"; }

TEST(CooldownKey, TrimsAndLowerCasesAsciiOnly) {
  EXPECT_EQ(CooldownKey("  Ada.Lovelace@Example.COM\t"), "ada.lovelace@example.com");
  EXPECT_EQ(CooldownKey("ada@example.com"), "ada@example.com");
  EXPECT_EQ(CooldownKey("\xC3\x89mile@example.com"), "\xC3\x89mile@example.com")
      << "UTF-8 bytes are left as they are";
}

TEST(ResetCooldown, AnAddressCoolsDownForTheWholePeriodThenMayAskAgain) {
  ResetCooldown cooldown(15 * kMinute, 100);
  int64_t t = 5'000'000;
  EXPECT_FALSE(cooldown.CoolingDown("ada@example.com", t));
  cooldown.Start("ada@example.com", t);
  EXPECT_TRUE(cooldown.CoolingDown("ADA@example.com ", t));
  EXPECT_TRUE(cooldown.CoolingDown("ada@example.com", t + 15 * kMinute - 1));
  EXPECT_FALSE(cooldown.CoolingDown("grace@example.com", t + 1));
  EXPECT_FALSE(cooldown.CoolingDown("ada@example.com", t + 15 * kMinute));
  EXPECT_EQ(cooldown.size(), 0u) << "an ended cooldown is forgotten";
}

TEST(ResetCooldown, ZeroTurnsItOffAndRemembersNothing) {
  ResetCooldown cooldown(0, 100);
  cooldown.Start("ada@example.com", 1000);
  EXPECT_FALSE(cooldown.CoolingDown("ada@example.com", 1000));
  EXPECT_EQ(cooldown.size(), 0u);
}

TEST(ResetCooldown, AFloodOfDistinctAddressesIsHeldAtTheCapOldestForgottenFirst) {
  ResetCooldown cooldown(15 * kMinute, 1000);
  int64_t t = 0;
  for (int i = 0; i < 5000; i++) {
    ASSERT_FALSE(cooldown.CoolingDown(Address(i), t));
    cooldown.Start(Address(i), t);
    ASSERT_LE(cooldown.size(), 1000u);
    t += 10;  // 5000 addresses within 50 s, all inside one cooldown
  }
  EXPECT_EQ(cooldown.size(), 1000u);
  EXPECT_EQ(cooldown.evicted(), 4000u);
  // the newest thousand still cool down; the older ones were forgotten, oldest first
  EXPECT_TRUE(cooldown.CoolingDown(Address(4999), t));
  EXPECT_TRUE(cooldown.CoolingDown(Address(4000), t));
  EXPECT_FALSE(cooldown.CoolingDown(Address(3999), t));
  EXPECT_FALSE(cooldown.CoolingDown(Address(0), t));
}

TEST(ResetCooldown, EntriesLeaveAsTheirCooldownEndsSoTheTableEmptiesWithoutACap) {
  ResetCooldown cooldown(15 * kMinute, 1'000'000);
  int64_t t = 0;
  // one new address a second for an hour: never more than a cooldown's worth is kept
  for (int i = 0; i < 3600; i++) {
    cooldown.Start(Address(i), t);
    ASSERT_LE(cooldown.size(), 15u * 60u) << "at second " << i;
    t += 1000;
  }
  EXPECT_EQ(cooldown.size(), 900u);
  EXPECT_FALSE(cooldown.CoolingDown(Address(0), t + 15 * kMinute));
  EXPECT_EQ(cooldown.size(), 0u);
  EXPECT_EQ(cooldown.evicted(), 0u);
}

TEST(ResetCooldown, StartingAgainRestartsTheCooldownAndKeepsOneEntry) {
  ResetCooldown cooldown(10 * kMinute, 2);
  cooldown.Start("ada@example.com", 0);
  cooldown.Start("Ada@example.com", 5 * kMinute);
  EXPECT_EQ(cooldown.size(), 1u);
  EXPECT_TRUE(cooldown.CoolingDown("ada@example.com", 14 * kMinute));
  cooldown.Start("grace@example.com", 14 * kMinute);
  EXPECT_EQ(cooldown.size(), 2u);
  EXPECT_EQ(cooldown.evicted(), 0u);
}

}  // namespace
}  // namespace userdesk::account
