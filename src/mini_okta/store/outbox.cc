#include "mini_okta/store/outbox.h"

#include <utility>

#include "mini_okta/store/ids.h"
#include "mini_okta/store/stored_json.h"

namespace userdesk::mini_okta {

void Outbox::Send(OutboxEmail email) {
  std::lock_guard<std::mutex> lock(core_.mu);
  if (email.id.empty()) email.id = NewOktaId("eml");
  if (email.sent_at.empty()) email.sent_at = core_.NowLocked();
  emails_.push_back(std::move(email));
  core_.SaveOrLogLocked();
}

std::vector<OutboxEmail> Outbox::List() const {
  std::lock_guard<std::mutex> lock(core_.mu);
  return emails_;
}

void Outbox::ReadLocked(const json::Value& data_file) {
  stored::ForEachIn(data_file, "outbox", [this](const json::Value& o) {
    emails_.push_back(OutboxEmail{stored::Str(o, "id"), stored::Str(o, "to"),
                                  stored::Str(o, "subject"), stored::Str(o, "body"),
                                  stored::Str(o, "link"), stored::Str(o, "sentAt")});
  });
}

json::Value Outbox::WriteLocked(json::Allocator& a) const {
  return stored::ArrayOf(
      emails_,
      [&a](const OutboxEmail& e) {
        json::Value o(rapidjson::kObjectType);
        stored::AddString(o, "id", e.id, a);
        stored::AddString(o, "to", e.to, a);
        stored::AddString(o, "subject", e.subject, a);
        stored::AddString(o, "body", e.body, a);
        stored::AddString(o, "link", e.link, a);
        stored::AddString(o, "sentAt", e.sent_at, a);
        return o;
      },
      a);
}

}  // namespace userdesk::mini_okta
