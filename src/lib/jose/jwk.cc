#include "jose/jwk.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "crypto/base64url.h"

namespace userdesk::jose {
namespace {

// RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used with these algorithms."
constexpr size_t kMinModulusBytes = 256;

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxDeleter {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct BioDeleter {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct BnDeleter {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
struct ParamBldDeleter {
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
};
struct ParamDeleter {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// The big-endian magnitude of one RSA parameter as unpadded base64url (RFC 7518 §6.3.1.1).
std::string BnParamBase64Url(const EVP_PKEY* pkey, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) return "";
  BnPtr bn(raw);
  std::string bytes(static_cast<size_t>(BN_num_bytes(bn.get())), '\0');
  BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()));
  return crypto::Base64UrlEncode(bytes);
}

// Decodes an RFC 7518 §6.3.1 integer; leading zero octets are tolerated but not counted.
std::optional<std::string> DecodeUnsigned(std::string_view b64) {
  auto bytes = crypto::Base64UrlDecode(b64);
  if (!bytes || bytes->empty()) return std::nullopt;
  size_t first = bytes->find_first_not_of('\0');
  if (first == std::string::npos) return std::nullopt;
  return bytes->substr(first);
}

PkeyPtr PublicKeyFromJwk(const RsaPublicJwk& jwk) {
  auto n = DecodeUnsigned(jwk.n);
  auto e = DecodeUnsigned(jwk.e);
  if (!n || !e || n->size() < kMinModulusBytes) return nullptr;
  BnPtr bn_n(BN_bin2bn(Bytes(*n), static_cast<int>(n->size()), nullptr));
  BnPtr bn_e(BN_bin2bn(Bytes(*e), static_cast<int>(e->size()), nullptr));
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldDeleter> bld(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !bld ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return nullptr;
  }
  std::unique_ptr<OSSL_PARAM, ParamDeleter> params(OSSL_PARAM_BLD_to_param(bld.get()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return nullptr;
  }
  return PkeyPtr(raw);
}

std::string MemberOr(const json::Value& v, std::string_view key, std::string fallback) {
  auto s = json::GetString(v, key);
  return s ? *s : fallback;
}

}  // namespace

struct RsaPrivateKey::Impl {
  PkeyPtr pkey;
};

json::Value ToJson(const RsaPublicJwk& jwk, json::Allocator& alloc) {
  json::Value v(rapidjson::kObjectType);
  v.AddMember("kty", "RSA", alloc);
  if (!jwk.alg.empty()) v.AddMember("alg", json::Str(jwk.alg, alloc), alloc);
  v.AddMember("kid", json::Str(jwk.kid, alloc), alloc);
  if (!jwk.use.empty()) v.AddMember("use", json::Str(jwk.use, alloc), alloc);
  v.AddMember("e", json::Str(jwk.e, alloc), alloc);
  v.AddMember("n", json::Str(jwk.n, alloc), alloc);
  return v;
}

std::string JwksToJson(const std::vector<RsaPublicJwk>& keys) {
  json::Document doc(rapidjson::kObjectType);
  json::Value list(rapidjson::kArrayType);
  for (const RsaPublicJwk& key : keys)
    list.PushBack(ToJson(key, doc.GetAllocator()), doc.GetAllocator());
  doc.AddMember("keys", list, doc.GetAllocator());
  return json::Write(doc);
}

Result<RsaPublicJwk> ParseRsaJwk(const json::Value& value) {
  if (json::GetString(value, "kty") != "RSA") {
    return MakeError(ErrorCode::kInvalidArgument, "jwk: kty is not RSA");
  }
  RsaPublicJwk jwk;
  jwk.kid = MemberOr(value, "kid", "");
  jwk.alg = MemberOr(value, "alg", "");
  jwk.use = MemberOr(value, "use", "");
  jwk.n = MemberOr(value, "n", "");
  jwk.e = MemberOr(value, "e", "");
  if (!DecodeUnsigned(jwk.n) || !DecodeUnsigned(jwk.e)) {
    return MakeError(ErrorCode::kInvalidArgument, "jwk: n or e is not base64url");
  }
  return jwk;
}

Result<std::vector<RsaPublicJwk>> ParseJwks(std::string_view text) {
  auto doc = json::ParseObject(text);
  const json::Value* keys = doc ? json::GetArray(*doc, "keys") : nullptr;
  if (keys == nullptr) return MakeError(ErrorCode::kInvalidArgument, "jwks: no keys array");
  std::vector<RsaPublicJwk> out;
  for (const json::Value& key : keys->GetArray()) {
    // RFC 7517 §5: skip keys of a kty or use we do not implement rather than fail the set.
    if (json::GetString(key, "kty") != "RSA" || json::GetString(key, "use") == "enc") continue;
    auto jwk = ParseRsaJwk(key);
    if (!jwk) return jwk.error();
    out.push_back(std::move(*jwk));
  }
  return out;
}

bool VerifyRsaSignature(const RsaPublicJwk& jwk, const char* digest, std::string_view data,
                        std::string_view signature) {
  PkeyPtr pkey = PublicKeyFromJwk(jwk);
  MdCtxPtr md(EVP_MD_CTX_new());
  if (!pkey || !md ||
      EVP_DigestVerifyInit_ex(md.get(), nullptr, digest, nullptr, nullptr, pkey.get(), nullptr) !=
          1) {
    return false;
  }
  return EVP_DigestVerify(md.get(), Bytes(signature), signature.size(), Bytes(data), data.size()) ==
         1;
}

RsaPrivateKey::RsaPrivateKey(std::unique_ptr<Impl> impl, std::string kid)
    : impl_(std::move(impl)), kid_(std::move(kid)) {}
RsaPrivateKey::~RsaPrivateKey() = default;

Result<std::unique_ptr<RsaPrivateKey>> RsaPrivateKey::Generate(int bits, std::string kid) {
  if (bits < static_cast<int>(kMinModulusBytes * 8)) {
    return MakeError(ErrorCode::kInvalidArgument, "rsa: key smaller than 2048 bits");
  }
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) != 1 ||
      EVP_PKEY_generate(ctx.get(), &raw) != 1) {
    return MakeError(ErrorCode::kInternal, "rsa: key generation failed");
  }
  auto impl = std::make_unique<Impl>();
  impl->pkey.reset(raw);
  return std::unique_ptr<RsaPrivateKey>(new RsaPrivateKey(std::move(impl), std::move(kid)));
}

Result<std::unique_ptr<RsaPrivateKey>> RsaPrivateKey::FromPem(std::string_view pem,
                                                              std::string kid) {
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PkeyPtr pkey(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  // RFC 7518 §3.3: RS256 keys are RSA keys of at least 2048 bits.
  if (!pkey || !EVP_PKEY_is_a(pkey.get(), "RSA") ||
      EVP_PKEY_get_bits(pkey.get()) < static_cast<int>(kMinModulusBytes * 8)) {
    return MakeError(ErrorCode::kInvalidArgument, "rsa: not an RSA private key of 2048+ bits");
  }
  auto impl = std::make_unique<Impl>();
  impl->pkey = std::move(pkey);
  return std::unique_ptr<RsaPrivateKey>(new RsaPrivateKey(std::move(impl), std::move(kid)));
}

std::string RsaPrivateKey::ToPem() const {
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), impl_->pkey.get(), nullptr, nullptr, 0, nullptr,
                                       nullptr) != 1) {
    return "";
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

RsaPublicJwk RsaPrivateKey::PublicJwk() const {
  RsaPublicJwk jwk;
  jwk.kid = kid_;
  jwk.n = BnParamBase64Url(impl_->pkey.get(), OSSL_PKEY_PARAM_RSA_N);
  jwk.e = BnParamBase64Url(impl_->pkey.get(), OSSL_PKEY_PARAM_RSA_E);
  return jwk;
}

Result<std::string> RsaPrivateKey::SignRs256(std::string_view data) const {
  return SignRsa("SHA256", data);
}

Result<std::string> RsaPrivateKey::SignRsa(const char* digest, std::string_view data) const {
  MdCtxPtr md(EVP_MD_CTX_new());
  size_t len = 0;
  if (!md ||
      EVP_DigestSignInit_ex(md.get(), nullptr, digest, nullptr, nullptr, impl_->pkey.get(),
                            nullptr) != 1 ||
      EVP_DigestSign(md.get(), nullptr, &len, Bytes(data), data.size()) != 1) {
    return MakeError(ErrorCode::kInternal, "rsa: sign init failed");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, Bytes(data),
                     data.size()) != 1) {
    return MakeError(ErrorCode::kInternal, "rsa: sign failed");
  }
  sig.resize(len);
  return sig;
}

}  // namespace userdesk::jose
