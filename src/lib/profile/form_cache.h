// The profile page's form as last rendered for one copy of a user's profile and one session.
//
// Building the form's view (eight fields of ten values each, as kainjow's map nodes) and
// rendering it is most of a warm profile page's CPU (docs/benchmarks.md). The plain page, with no
// notice, warning or field error, depends only on the profile copy and the session's CSRF token,
// so it is rendered once per pair: a new copy (a read, a save) is a new object and misses, and so
// does another session of the same user.
//
// Entries hold their copy (shared_ptr), so a copy is never freed and replaced by another at the
// same address while its entry exists: the pointer comparison cannot be fooled.
#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "okta/users_client.h"

namespace userdesk::profile {

class FormCache {
 public:
  static constexpr size_t kMaxEntries = 64;  // about 5 KiB each; the least recently used leave

  // The HTML rendered for exactly this copy and CSRF token, if it is still kept.
  std::optional<std::string> Find(const std::shared_ptr<const okta::User>& user,
                                  const std::string& csrf);
  void Keep(std::shared_ptr<const okta::User> user, std::string csrf, std::string html);

 private:
  struct Entry {
    std::shared_ptr<const okta::User> user;
    std::string csrf;
    std::string html;
  };
  std::mutex mutex_;
  std::list<Entry> entries_;  // front = most recently used; a linear scan of at most 64
};

}  // namespace userdesk::profile
