#include "crypto/password_hash.h"

#include <openssl/evp.h>

#include <optional>
#include <vector>

#include "base/strings.h"
#include "crypto/base64url.h"
#include "crypto/hmac.h"
#include "crypto/random.h"

namespace userdesk::crypto {
namespace {

constexpr std::string_view kScheme = "pbkdf2_sha256";
constexpr size_t kSaltBytes = 16;
constexpr size_t kKeyBytes = 32;
// Refuse absurd counts from a tampered data file rather than hang on them.
constexpr int kMaxIterations = 10'000'000;

std::optional<std::string> Pbkdf2(std::string_view password, std::string_view salt,
                                  int iterations) {
  std::string out(kKeyBytes, '\0');
  int ok =
      PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(),
                        static_cast<int>(out.size()), reinterpret_cast<unsigned char*>(out.data()));
  if (ok != 1) return std::nullopt;
  return out;
}

std::vector<std::string_view> SplitDollar(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t pos = s.find('$', start);
    parts.push_back(s.substr(start, pos == std::string_view::npos ? s.npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

}  // namespace

std::string HashPassword(std::string_view password, int iterations) {
  std::string salt = RandomBytes(kSaltBytes);
  std::optional<std::string> key = Pbkdf2(password, salt, iterations);
  if (!key) return "";  // an empty hash matches nothing, so a failure locks rather than opens
  return std::string(kScheme) + "$" + std::to_string(iterations) + "$" + Base64UrlEncode(salt) +
         "$" + Base64UrlEncode(*key);
}

bool VerifyPassword(std::string_view password, std::string_view encoded) {
  std::vector<std::string_view> parts = SplitDollar(encoded);
  if (parts.size() != 4 || parts[0] != kScheme) return false;
  std::optional<int> iterations = ParseInteger<int>(parts[1]);
  if (!iterations || *iterations < 1 || *iterations > kMaxIterations) return false;
  std::optional<std::string> salt = Base64UrlDecode(parts[2]);
  std::optional<std::string> expected = Base64UrlDecode(parts[3]);
  if (!salt || !expected || expected->size() != kKeyBytes) return false;
  std::optional<std::string> actual = Pbkdf2(password, *salt, *iterations);
  return actual && ConstantTimeEquals(*actual, *expected);
}

}  // namespace userdesk::crypto
