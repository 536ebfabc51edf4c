#include "oidc/logout_token.h"

#include <optional>

#include "base/strings.h"
#include "crypto/base64url.h"
#include "crypto/hmac.h"
#include "json/json.h"

namespace userdesk::oidc {
namespace {

Error Refused(std::string why) {
  return MakeError(ErrorCode::kInvalidArgument, "logout_token refused: " + std::move(why));
}

// §2.4 and RFC 7515 §4.1.9: a typ is a media type, compared without case, whose "application/"
// may be left out.
bool LogoutTyp(std::string_view typ) {
  return EqualsIgnoringCase(typ, "logout+jwt") || EqualsIgnoringCase(typ, "application/logout+jwt");
}

// §2.4: events is a JSON object with the back-channel-logout member, itself an object.
bool HasLogoutEvent(const json::Value& claims) {
  const json::Value* events = json::Member(claims, "events");
  if (events == nullptr || !events->IsObject()) return false;
  const json::Value* event = json::Member(*events, kBackChannelLogoutEvent);
  return event != nullptr && event->IsObject();
}

}  // namespace

std::string LogoutTokenKey(std::string_view issuer, std::string_view jti) {
  return "logout-jti:" +
         crypto::Base64UrlEncode(crypto::Sha256(std::string(issuer) + "\n" + std::string(jti)));
}

Result<LogoutTokenClaims> VerifyLogoutToken(std::string_view token, const LogoutTokenChecks& checks,
                                            const KeyLookup& keys, const MarkUsed& mark_used) {
  if (token.empty()) return Refused("empty");
  if (token.size() > kMaxLogoutTokenBytes) return Refused("larger than a logout token can be");
  // §2.6 steps 2 and 3: the signature and the alg as for ID tokens
  auto jws = VerifySignedToken(token, checks.allowed_algs, keys);
  if (!jws) {
    if (jws.error().keys_unavailable) return *jws.error().keys_unavailable;
    return Refused(jws.error().why);
  }
  if (json::Member(jws->header, "typ") != nullptr) {
    auto typ = json::GetString(jws->header, "typ");
    if (!typ || !LogoutTyp(*typ)) return Refused("typ is not logout+jwt");
  }
  const json::Value& claims = jws->payload;

  // step 4: iss, aud, iat and exp as for ID tokens
  if (json::GetString(claims, "iss") != checks.issuer) return Refused("iss is not our issuer");
  if (auto problem = AudienceProblem(claims, checks.client_id)) return Refused(*problem);
  auto iat = NumericDate(claims, "iat");
  if (!iat) return Refused("no valid iat");
  if (*iat > checks.now + checks.max_skew) return Refused("issued in the future (clock skew?)");
  int64_t usable_until = 0;  // the last second the token can be accepted, skew included
  if (json::Member(claims, "exp") != nullptr) {
    auto exp = NumericDate(claims, "exp");
    if (!exp) return Refused("exp is not a valid date");
    usable_until = *exp + checks.max_skew;
  } else {
    usable_until = *iat + kLogoutTokenMaxAgeSeconds + checks.max_skew;
  }
  if (usable_until <= checks.now) return Refused("expired");

  // step 5: whom it logs out
  auto sub = IdentifierClaim(claims, "sub");
  if (!sub) return Refused("sub is not a valid subject");
  auto sid = IdentifierClaim(claims, "sid");
  if (!sid) return Refused("sid is not a valid session id");
  if (sub->empty() && sid->empty()) return Refused("neither sub nor sid");
  // steps 6 and 7: what makes it a logout token and not an ID token
  if (!HasLogoutEvent(claims)) return Refused("no back-channel-logout event");
  if (json::Member(claims, "nonce") != nullptr) return Refused("has a nonce");
  // step 8: once only
  auto jti = json::GetString(claims, "jti");
  if (!jti || jti->empty()) return Refused("no jti");
  auto first = mark_used(LogoutTokenKey(checks.issuer, *jti), usable_until);
  if (!first) return first.error();
  if (!*first) return Refused("jti already used (a replay)");

  LogoutTokenClaims out;
  out.sub = std::move(*sub);
  out.sid = std::move(*sid);
  out.jti = std::move(*jti);
  out.issued_at = *iat;
  return out;
}

}  // namespace userdesk::oidc
