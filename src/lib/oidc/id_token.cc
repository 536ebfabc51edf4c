#include "oidc/id_token.h"

#include <optional>

#include "base/park.h"
#include "crypto/hmac.h"
#include "json/json.h"

namespace userdesk::oidc {
namespace {

Error Refused(std::string why) {
  return MakeError(ErrorCode::kUpstreamUnavailable, "id_token refused: " + std::move(why),
                   Reason::kIdTokenUntrusted);
}

std::string OptionalString(const json::Value& claims, std::string_view name) {
  return json::GetString(claims, name).value_or("");
}

}  // namespace

Result<IdTokenClaims> VerifyIdToken(std::string_view token, const IdTokenChecks& checks,
                                    const KeyLookup& keys) {
  if (token.size() > kMaxIdTokenBytes) return Refused("larger than the session can carry");
  auto jws = VerifySignedToken(token, checks.allowed_algs, keys);
  if (!jws) {
    if (!jws.error().keys_unavailable) return Refused(jws.error().why);
    // keys that cannot be had leave the token unverified, whatever the cause
    Error error = *jws.error().keys_unavailable;
    // a busy process is not a verdict on the token: the visitor is told to come back
    if (!park::IsBusy(error)) error.reason = Reason::kIdTokenUntrusted;
    return error;
  }
  const json::Value& claims = jws->payload;

  if (json::GetString(claims, "iss") != checks.issuer) return Refused("iss is not our issuer");
  if (auto problem = AudienceProblem(claims, checks.client_id)) return Refused(*problem);
  auto exp = NumericDate(claims, "exp");
  auto iat = NumericDate(claims, "iat");
  if (!exp) return Refused("no valid exp");
  if (!iat) return Refused("no valid iat");
  if (*exp + checks.max_skew <= checks.now) return Refused("expired");
  if (*iat > checks.now + checks.max_skew) return Refused("issued in the future (clock skew?)");
  auto sub = json::GetString(claims, "sub");
  if (!sub || !PlainIdentifier(*sub)) return Refused("no valid sub");
  // Back-Channel Logout 1.0 §2.4: the provider's session, kept to end this session by it later
  auto sid = IdentifierClaim(claims, "sid");
  if (!sid) return Refused("sid is not a valid session id");
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
  out.sid = *sid;
  out.issued_at = *iat;
  out.expires_at = *exp;
  out.auth_time = NumericDate(claims, "auth_time").value_or(0);
  return out;
}

}  // namespace userdesk::oidc
