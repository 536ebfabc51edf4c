#include "session/registry.h"

#include "crypto/base64url.h"
#include "crypto/hmac.h"

namespace userdesk::session {

std::string RecordId(std::string_view sid) { return crypto::Base64UrlEncode(crypto::Sha256(sid)); }

}  // namespace userdesk::session
