#include "mini_okta/signing_keys.h"

namespace userdesk::mini_okta {

// Placeholder until jose/ lands: keeps the management helper's link working.
SigningKeys::SigningKeys() = default;
SigningKeys::~SigningKeys() = default;
void SigningKeys::RotateNow() {}
Result<std::string> SigningKeys::Sign(std::string_view) const {
  return MakeError(ErrorCode::kInternal, "signing keys not implemented yet");
}
std::vector<jose::RsaPublicJwk> SigningKeys::PublicKeys() const { return {}; }
std::string SigningKeys::JwksJson() const { return "{\"keys\":[]}"; }
std::string SigningKeys::CurrentKid() const { return ""; }

}  // namespace userdesk::mini_okta
