#include "mini_okta/store/ids.h"

#include "crypto/hmac.h"
#include "crypto/random.h"

namespace userdesk::mini_okta {

std::string RandomAlphanumeric(size_t length) {
  static constexpr std::string_view kAlphabet =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string out;
  while (out.size() < length) {
    for (unsigned char byte : crypto::RandomBytes(length)) {
      // 248 = 4 * 62: rejecting larger bytes keeps every character equally likely.
      if (byte < 248 && out.size() < length) out.push_back(kAlphabet[byte % 62]);
    }
  }
  return out;
}

std::string NewOktaId(std::string_view prefix) {
  return std::string(prefix) + RandomAlphanumeric(17);
}

std::string Sha256Hex(std::string_view data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char byte : crypto::Sha256(data)) {
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xf]);
  }
  return out;
}

}  // namespace userdesk::mini_okta
