// A page's part as last rendered for one copy of a user's profile and one key.
//
// Building a page's view from a profile (as kainjow's map nodes) and rendering it is most of a
// warm page's CPU (docs/benchmarks.md): the profile form's eight fields of ten values each, the
// dashboard's list of attributes. The plain part (no notice, warning or field error) depends only
// on the profile copy and, for the form, the session's CSRF token (the key; the dashboard's list
// has none: ""), so it is rendered once per pair: a new copy (a read, a save) is a new object and
// misses, and so does another session of the same user for the form.
//
// Entries hold their copy (shared_ptr), so a copy is never freed and replaced by another at the
// same address while its entry exists: the pointer comparison cannot be fooled.
#pragma once

#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "okta/users_client.h"

namespace userdesk::profile {

class RenderCache {
 public:
  static constexpr size_t kMaxEntries = 64;  // a few KiB each; the least recently used leave

  // The HTML rendered for exactly this copy and key, if it is still kept.
  std::optional<std::string> Find(const std::shared_ptr<const okta::User>& user,
                                  const std::string& key);
  // Also drops what was kept for an older copy of the same user under the same key: it will not
  // be asked for again.
  void Keep(std::shared_ptr<const okta::User> user, std::string key, std::string html);
  // What is kept for this copy and key, or else render()'s HTML, kept. nullopt when render()
  // fails (nothing is kept; the caller renders again for its error page).
  std::optional<std::string> FindOrRender(
      const std::shared_ptr<const okta::User>& user, const std::string& key,
      const std::function<std::optional<std::string>()>& render);

 private:
  struct Entry {
    std::shared_ptr<const okta::User> user;
    std::string key;
    std::string html;
  };
  std::mutex mutex_;
  std::list<Entry> entries_;  // front = most recently used; a linear scan of at most 64
};

}  // namespace userdesk::profile
