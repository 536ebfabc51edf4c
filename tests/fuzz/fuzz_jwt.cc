// ID tokens and access tokens arrive from the network; parsing and verification must survive
// any bytes, and nothing unsigned by the one trusted key may ever verify.
#include <cstdint>
#include <string_view>
#include <vector>

#include "jose/jwk.h"
#include "jose/jws.h"
#include "jose/jwt.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // a fixed public key (RFC 7515 A.2's modulus would do; any key works: the fuzzer cannot sign)
  static const std::vector<userdesk::jose::RsaPublicJwk> keys = [] {
    auto parsed = userdesk::jose::ParseJwks(
        R"({"keys":[{"kty":"RSA","alg":"RS256","use":"sig","kid":"k1","e":"AQAB","n":")"
        "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0"
        "Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS"
        "5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH"
        "7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ\"}]}");
    return parsed.ok() ? *parsed : std::vector<userdesk::jose::RsaPublicJwk>{};
  }();
  if (keys.empty()) __builtin_trap();  // the harness itself must hold a real key
  std::string_view token(reinterpret_cast<const char*>(data), size);
  auto parsed = userdesk::jose::ParseCompact(token);
  (void)parsed;
  if (userdesk::jose::VerifyRs256(token, keys).ok()) __builtin_trap();
  return 0;
}
