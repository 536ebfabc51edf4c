#include "profile/render_cache.h"

namespace userdesk::profile {

std::optional<std::string> RenderCache::Find(const std::shared_ptr<const okta::User>& user,
                                             const std::string& key) {
  std::lock_guard lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->user != user || it->key != key) continue;
    entries_.splice(entries_.begin(), entries_, it);
    return entries_.front().html;
  }
  return std::nullopt;
}

void RenderCache::Keep(std::shared_ptr<const okta::User> user, std::string key, std::string html) {
  std::lock_guard lock(mutex_);
  entries_.remove_if([&](const Entry& e) { return e.key == key && e.user->id == user->id; });
  entries_.push_front(Entry{std::move(user), std::move(key), std::move(html)});
  if (entries_.size() > kMaxEntries) entries_.pop_back();
}

std::optional<std::string> RenderCache::FindOrRender(
    const std::shared_ptr<const okta::User>& user, const std::string& key,
    const std::function<std::optional<std::string>()>& render) {
  if (auto kept = Find(user, key)) return kept;
  std::optional<std::string> html = render();  // outside the lock: rendering is the slow part
  if (html) Keep(user, key, *html);
  return html;
}

}  // namespace userdesk::profile
