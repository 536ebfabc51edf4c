// The emails mini-okta "sent": kept for GET /dev/outbox instead of being delivered.
#pragma once

#include <vector>

#include "json/json.h"
#include "mini_okta/store/core.h"
#include "mini_okta/store/records.h"

namespace userdesk::mini_okta {

class Outbox {
 public:
  explicit Outbox(StoreCore& core) : core_(core) {}

  // Assigns the id and the sending time when they are empty.
  void Send(OutboxEmail email);
  std::vector<OutboxEmail> List() const;

  // With the core's lock held.
  void ReadLocked(const json::Value& data_file);
  json::Value WriteLocked(json::Allocator& a) const;

 private:
  StoreCore& core_;
  std::vector<OutboxEmail> emails_;
};

}  // namespace userdesk::mini_okta
