#include "crypto/base64url.h"

#include <openssl/evp.h>

#include <vector>

namespace userdesk::crypto {

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

namespace {

// The 6-bit value of a base64 character ('A'-'Z', 'a'-'z', '0'-'9', '+', '/'), else -1.
int SextetOf(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t pad = 0;
  if (!text.empty() && text.back() == '=') pad++;
  if (text.size() > 1 && text[text.size() - 2] == '=') pad++;
  // EVP_DecodeBlock skips leading/trailing whitespace; refuse it so decoding is canonical
  for (size_t i = 0; i < text.size() - pad; i++) {
    if (SextetOf(text[i]) < 0) return std::nullopt;
  }
  // RFC 4648 §3.5: the bits of the last character that hold no data must be zero. Otherwise
  // four spellings of a final character decode to the same bytes, and a signature or MAC would
  // verify under several texts.
  if (pad > 0) {
    int last = SextetOf(text[text.size() - pad - 1]);
    int unused_mask = pad == 1 ? 0x03 : 0x0F;  // "xxx=": 2 spare bits; "xx==": 4
    if ((last & unused_mask) != 0) return std::nullopt;
  }
  std::string out(text.size() / 4 * 3 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts padding as zero bytes; drop them
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string s = Base64Encode(bytes);
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (char& c : s) {
    if (c == '+')
      c = '-';
    else if (c == '/')
      c = '_';
  }
  return s;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string s(text);
  for (char& c : s) {
    if (c == '-')
      c = '+';
    else if (c == '_')
      c = '/';
    else if (c == '+' || c == '/' || c == '=')
      return std::nullopt;
  }
  s.append((4 - s.size() % 4) % 4, '=');
  return Base64Decode(s);
}

}  // namespace userdesk::crypto
