#include "profile/form_cache.h"

namespace userdesk::profile {

std::optional<std::string> FormCache::Find(const std::shared_ptr<const okta::User>& user,
                                           const std::string& csrf) {
  std::lock_guard lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->user != user || it->csrf != csrf) continue;
    entries_.splice(entries_.begin(), entries_, it);
    return entries_.front().html;
  }
  return std::nullopt;
}

void FormCache::Keep(std::shared_ptr<const okta::User> user, std::string csrf, std::string html) {
  std::lock_guard lock(mutex_);
  // this session's page for an older copy will not be asked for again
  entries_.remove_if([&](const Entry& e) { return e.csrf == csrf; });
  entries_.push_front(Entry{std::move(user), std::move(csrf), std::move(html)});
  if (entries_.size() > kMaxEntries) entries_.pop_back();
}

}  // namespace userdesk::profile
