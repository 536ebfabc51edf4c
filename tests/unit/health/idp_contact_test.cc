#include "health/idp_contact.h"

#include <gtest/gtest.h>

namespace userdesk::health {
namespace {

// The record is process-wide; each test uses times later than any earlier test's.
TEST(IdpContact, RecordsAnswersAndFailuresApart) {
  RecordContact(true, 2'000'000'000'000);
  RecordContact(false, 2'000'000'000'500);
  Contact c = LastContact();
  EXPECT_EQ(c.last_answer_ms, 2'000'000'000'000);
  EXPECT_EQ(c.last_failure_ms, 2'000'000'000'500);
}

TEST(IdpContact, AnEarlierCallFinishingLateNeverMovesTimeBack) {
  RecordContact(true, 2'100'000'000'000);
  RecordContact(true, 2'099'999'999'000);  // a slower call, started earlier, done now
  EXPECT_EQ(LastContact().last_answer_ms, 2'100'000'000'000);
}

}  // namespace
}  // namespace userdesk::health
