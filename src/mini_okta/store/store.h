// mini-okta's data, one store per kind (users, OIDC clients, API tokens, the user schema, the
// email outbox, one-time links) behind this one class, which persists them all: one lock across
// the kinds, and every change written to the data file (temp file + rename) before the call
// returns, so a crash never leaves a half-written file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"
#include "mini_okta/store/api_tokens.h"
#include "mini_okta/store/clients.h"
#include "mini_okta/store/core.h"
#include "mini_okta/store/links.h"
#include "mini_okta/store/outbox.h"
#include "mini_okta/store/records.h"
#include "mini_okta/store/user_schema.h"
#include "mini_okta/store/users.h"

namespace userdesk::mini_okta {

class Store {
 public:
  // An empty, in-memory store (tests build one and call LoadSeed).
  Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Uses data_file when it exists; otherwise applies seed_file (if any) and writes data_file.
  // Either path may be empty (in memory / no seed).
  Status Open(const std::string& data_file, const std::string& seed_file);
  // Adds the users, clients, API tokens and custom schema properties of a seed document:
  //   {"users":   [{"id"?: "...", "status"?: "ACTIVE", "profile": {...}, "password"?: "..."}],
  //    "clients": [{"client_id", "client_secret", "client_name", "redirect_uris": [...],
  //                 "post_logout_redirect_uris": [...]}],
  //    "apiTokens": ["..."],
  //    "customProperties": {"birthdate": {"title": "Birthdate", "type": "string", ...}, ...}}
  Status LoadSeed(std::string_view seed_json);

  // The clock behind every timestamp and expiry; defaults to the system clock.
  void SetClock(Clock clock);
  int64_t NowMillis() const;

  Users& users() { return users_; }
  const Users& users() const { return users_; }
  const Clients& clients() const { return clients_; }
  ApiTokens& api_tokens() { return api_tokens_; }
  const ApiTokens& api_tokens() const { return api_tokens_; }
  UserSchema& schema() { return schema_; }
  const UserSchema& schema() const { return schema_; }
  Outbox& outbox() { return outbox_; }
  const Outbox& outbox() const { return outbox_; }
  OneTimeLinks& links() { return links_; }
  const OneTimeLinks& links() const { return links_; }

 private:
  Status LoadDataFileLocked(std::string_view text);
  Status SaveLocked() const;

  StoreCore core_;
  std::string data_file_;
  OneTimeLinks links_{core_};
  Users users_{core_, links_};
  Clients clients_{core_};
  ApiTokens api_tokens_{core_};
  UserSchema schema_{core_, users_};
  Outbox outbox_{core_};
};

}  // namespace userdesk::mini_okta
