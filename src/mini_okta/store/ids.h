// Okta-shaped identifiers: a three-character type prefix ("00u" users, "oty" user types,
// "osc" schemas, "oae" error ids) followed by random alphanumerics.
#pragma once

#include <string>
#include <string_view>

namespace userdesk::mini_okta {

// length random characters from [0-9A-Za-z], drawn without modulo bias.
std::string RandomAlphanumeric(size_t length);

// prefix + 17 random alphanumerics: 20 characters, like Okta's object ids.
std::string NewOktaId(std::string_view prefix);

// Lower-case hex of SHA-256: how secrets (API tokens, one-time tokens) are kept at rest.
std::string Sha256Hex(std::string_view data);

}  // namespace userdesk::mini_okta
