#include "profile/render_cache.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace userdesk::profile {
namespace {

std::shared_ptr<const okta::User> Copy(const std::string& city, const std::string& id = "00u1") {
  auto user = std::make_shared<okta::User>();
  user->id = id;
  user->profile = {{"city", city}};
  return user;
}

TEST(RenderCache, AnswersOnlyForTheSameCopyAndSession) {
  RenderCache forms;
  auto copy = Copy("Oslo");
  forms.Keep(copy, "csrf-a", "<form>Oslo a</form>");
  EXPECT_EQ(forms.Find(copy, "csrf-a"), "<form>Oslo a</form>");
  // another session of the same user carries another CSRF token in its form
  EXPECT_FALSE(forms.Find(copy, "csrf-b"));
  // a new copy (read again, or saved) is a new object, even with equal contents
  EXPECT_FALSE(forms.Find(Copy("Oslo"), "csrf-a"));
}

TEST(RenderCache, ASessionKeepsOnlyItsLatestForm) {
  RenderCache forms;
  auto old_copy = Copy("Oslo");
  auto new_copy = Copy("Bergen");
  forms.Keep(old_copy, "csrf-a", "old");
  forms.Keep(new_copy, "csrf-a", "new");
  EXPECT_FALSE(forms.Find(old_copy, "csrf-a"));
  EXPECT_EQ(forms.Find(new_copy, "csrf-a"), "new");
}

TEST(RenderCache, KeepsAtMostItsBoundDroppingTheLeastRecentlyUsed) {
  RenderCache forms;
  auto copy = Copy("Oslo");
  for (size_t i = 0; i < RenderCache::kMaxEntries; i++) {
    forms.Keep(copy, "csrf-" + std::to_string(i), "form " + std::to_string(i));
  }
  EXPECT_TRUE(forms.Find(copy, "csrf-0"));  // now the most recently used
  forms.Keep(copy, "csrf-new", "form new");
  EXPECT_TRUE(forms.Find(copy, "csrf-0"));
  EXPECT_FALSE(forms.Find(copy, "csrf-1"));  // the least recently used left
  EXPECT_EQ(forms.Find(copy, "csrf-new"), "form new");
}

// The dashboard's key is "" for everyone: a user's new copy replaces only that user's entry.
TEST(RenderCache, ANewCopyReplacesOnlyItsOwnUsersEntryUnderOneKey) {
  RenderCache lists;
  auto ann = Copy("Oslo", "00uAnn");
  auto bob = Copy("Rome", "00uBob");
  lists.Keep(ann, "", "ann's list");
  lists.Keep(bob, "", "bob's list");
  auto ann_again = Copy("Bergen", "00uAnn");
  lists.Keep(ann_again, "", "ann's new list");
  EXPECT_FALSE(lists.Find(ann, ""));
  EXPECT_EQ(lists.Find(ann_again, ""), "ann's new list");
  EXPECT_EQ(lists.Find(bob, ""), "bob's list");
}

}  // namespace
}  // namespace userdesk::profile
