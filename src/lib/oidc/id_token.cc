#include "oidc/id_token.h"

#include <cmath>
#include <optional>

#include "base/park.h"
#include "crypto/hmac.h"
#include "jose/jws.h"
#include "jose/jwt.h"
#include "json/json.h"

namespace userdesk::oidc {
namespace {

Error Refused(std::string why) {
  return MakeError(ErrorCode::kUpstreamUnavailable, "id_token refused: " + std::move(why),
                   Reason::kIdTokenUntrusted);
}

// NumericDate (RFC 7519 §2): a JSON number of seconds; fractions are allowed and truncated.
std::optional<int64_t> NumericDate(const json::Value& claims, std::string_view name) {
  const json::Value* v = json::Member(claims, name);
  if (v == nullptr || !v->IsNumber()) return std::nullopt;
  double d = v->GetDouble();
  if (!std::isfinite(d) || d < 0 || d > 1e13) return std::nullopt;
  return static_cast<int64_t>(d);
}

// aud is a string or an array of strings (OpenID Core §2); with several audiences azp must name
// us, and an azp that is present must always be us.
Status CheckAudience(const json::Value& claims, const std::string& client_id) {
  const json::Value* aud = json::Member(claims, "aud");
  if (aud == nullptr) return Refused("no aud");
  bool ours = false;
  size_t count = 0;
  if (aud->IsString()) {
    count = 1;
    ours = std::string_view(aud->GetString(), aud->GetStringLength()) == client_id;
  } else if (aud->IsArray()) {
    for (const auto& entry : aud->GetArray()) {
      if (!entry.IsString()) return Refused("aud has a non-string entry");
      count++;
      ours = ours || std::string_view(entry.GetString(), entry.GetStringLength()) == client_id;
    }
  } else {
    return Refused("aud is neither a string nor an array");
  }
  if (!ours) return Refused("aud does not contain our client_id");
  const json::Value* azp_member = json::Member(claims, "azp");
  if (count > 1 && azp_member == nullptr) return Refused("several audiences and no azp");
  if (azp_member != nullptr && json::GetString(claims, "azp") != client_id) {
    return Refused("azp is not our client_id");
  }
  return OkStatus();
}

// OpenID Core §2: sub is at most 255 ASCII characters. We also refuse controls, spaces, '"' and
// '\\': sub goes into logs and, unescaped, into the session cookie, whose size is budgeted for
// one byte per character (docs/ARCHITECTURE.md, "Decisions"). Okta's ids are 20 letters and
// digits.
bool PlainSubject(std::string_view sub) {
  if (sub.empty() || sub.size() > 255) return false;
  for (char c : sub) {
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
  }
  return true;
}

std::string OptionalString(const json::Value& claims, std::string_view name) {
  return json::GetString(claims, name).value_or("");
}

}  // namespace

Result<IdTokenClaims> VerifyIdToken(std::string_view token, const IdTokenChecks& checks,
                                    const KeyLookup& keys) {
  if (token.size() > kMaxIdTokenBytes) return Refused("larger than the session can carry");
  // parse once unverified only to learn which key to fetch; nothing else is read before the
  // signature is checked
  auto unverified = jose::ParseCompact(token);
  if (!unverified) return Refused("malformed: " + unverified.error().detail);
  std::string kid = json::GetString(unverified->header, "kid").value_or("");
  auto key_set = keys(kid);
  if (!key_set) {  // keys that cannot be had leave the token unverified, whatever the cause
    Error error = key_set.error();
    // a busy process is not a verdict on the token: the visitor is told to come back
    if (!park::IsBusy(error)) error.reason = Reason::kIdTokenUntrusted;
    return error;
  }
  auto jws = jose::VerifyRsa(token, **key_set, checks.allowed_algs);
  if (!jws) return Refused(jws.error().detail);
  const json::Value& claims = jws->payload;

  if (json::GetString(claims, "iss") != checks.issuer) return Refused("iss is not our issuer");
  if (Status aud = CheckAudience(claims, checks.client_id); !aud) return aud.error();
  auto exp = NumericDate(claims, "exp");
  auto iat = NumericDate(claims, "iat");
  if (!exp) return Refused("no valid exp");
  if (!iat) return Refused("no valid iat");
  if (*exp + checks.max_skew <= checks.now) return Refused("expired");
  if (*iat > checks.now + checks.max_skew) return Refused("issued in the future (clock skew?)");
  auto sub = json::GetString(claims, "sub");
  if (!sub || !PlainSubject(*sub)) return Refused("no valid sub");
  // the nonce binds this token to the browser that started the sign-in (Core §3.1.2.1)
  auto nonce = json::GetString(claims, "nonce");
  if (!nonce || checks.nonce.empty() || !crypto::ConstantTimeEquals(*nonce, checks.nonce)) {
    return MakeError(ErrorCode::kInvalidArgument, "id_token refused: nonce is missing or not ours",
                     Reason::kNonceMismatch);
  }

  IdTokenClaims out;
  out.sub = *sub;
  out.name = OptionalString(claims, "name");
  out.given_name = OptionalString(claims, "given_name");
  out.family_name = OptionalString(claims, "family_name");
  out.preferred_username = OptionalString(claims, "preferred_username");
  out.email = OptionalString(claims, "email");
  out.issued_at = *iat;
  out.expires_at = *exp;
  out.auth_time = NumericDate(claims, "auth_time").value_or(0);
  out.sid = OptionalString(claims, "sid");
  return out;
}

}  // namespace userdesk::oidc
