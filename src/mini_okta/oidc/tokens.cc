#include "mini_okta/oidc/tokens.h"

#include "crypto/base64url.h"
#include "crypto/hmac.h"
#include "crypto/random.h"
#include "jose/jws.h"
#include "json/json.h"
#include "mini_okta/dev/faults.h"
#include "mini_okta/oidc/claims.h"
#include "mini_okta/oidc/common.h"
#include "mini_okta/store/ids.h"

namespace userdesk::mini_okta::oidc {
namespace {

Error Untrusted(std::string detail) {
  return MakeError(ErrorCode::kUnauthenticated, std::move(detail));
}

json::Value StringArray(const std::vector<std::string>& items, json::Allocator& a) {
  json::Value list(rapidjson::kArrayType);
  for (const std::string& item : items) list.PushBack(json::Str(item, a), a);
  return list;
}

std::vector<std::string> ReadStringArray(const json::Value& obj, std::string_view key) {
  std::vector<std::string> out;
  if (const json::Value* list = json::GetArray(obj, key)) {
    for (const auto& item : list->GetArray()) {
      if (item.IsString()) out.emplace_back(item.GetString(), item.GetStringLength());
    }
  }
  return out;
}

// OIDC Core §3.1.3.6: at_hash is base64url of the left half of SHA-256 of the access token.
std::string AtHash(std::string_view access_token) {
  return crypto::Base64UrlEncode(crypto::Sha256(access_token).substr(0, 16));
}

void AddTimes(json::Value& claims, int64_t now, int64_t lifetime, json::Allocator& a) {
  claims.AddMember("iat", now, a);
  claims.AddMember("exp", now + lifetime, a);
}

std::string AccessTokenPayload(const OidcState& state, const AuthCode& code, const UserRecord& user,
                               const std::vector<std::string>& scopes, const std::string& jti,
                               int64_t now) {
  json::Document c(rapidjson::kObjectType);
  auto& a = c.GetAllocator();
  c.AddMember("ver", 1, a);
  c.AddMember("jti", json::Str(jti, a), a);
  c.AddMember("iss", json::Str(code.request.server.Issuer(state.ctx), a), a);
  c.AddMember("aud", json::Str(code.request.server.Audience(state.ctx), a), a);
  AddTimes(c, now, state.AccessTokenLifetime(), a);
  c.AddMember("cid", json::Str(code.request.client_id, a), a);
  c.AddMember("uid", json::Str(user.id, a), a);
  c.AddMember("scp", StringArray(scopes, a), a);
  c.AddMember("auth_time", code.auth_time, a);
  c.AddMember("sub", json::Str(UserLogin(user), a), a);
  return json::Write(c);
}

std::string IdTokenPayload(const OidcState& state, const AuthCode& code, const UserRecord& user,
                           const std::vector<std::string>& scopes, const std::string& access_token,
                           int64_t now) {
  json::Document c(rapidjson::kObjectType);
  auto& a = c.GetAllocator();
  c.AddMember("sub", json::Str(user.id, a), a);
  if (state.ctx.faults == nullptr || !state.ctx.faults->Get().minimal_id_token) {
    AddThinIdTokenClaims(user, scopes, c, a);
  }
  c.AddMember("ver", 1, a);
  c.AddMember("iss", json::Str(code.request.server.Issuer(state.ctx), a), a);
  c.AddMember("aud", json::Str(code.request.client_id, a), a);
  AddTimes(c, now, kIdTokenLifetimeSeconds, a);
  c.AddMember("jti", json::Str("ID." + RandomAlphanumeric(43), a), a);
  c.AddMember("amr", StringArray({"pwd"}, a), a);
  c.AddMember("idp", json::Str(state.org_id, a), a);
  if (!code.request.nonce.empty()) c.AddMember("nonce", json::Str(code.request.nonce, a), a);
  // Back-Channel Logout 1.0 §2.4 (backchannel_logout_session_supported): the sign-in session,
  // which a logout token names to end the sessions the client began in it
  if (!code.sid.empty()) c.AddMember("sid", json::Str(code.sid, a), a);
  c.AddMember("auth_time", code.auth_time, a);
  c.AddMember("at_hash", json::Str(AtHash(access_token), a), a);
  return json::Write(c);
}

Result<jose::CompactJws> VerifySignedByUs(const OidcState& state, const AuthServer& server,
                                          std::string_view token) {
  auto jws = jose::VerifyRs256(token, state.keys->PublicKeys());
  if (!jws) return Untrusted(jws.error().detail);
  if (json::GetString(jws->payload, "iss") != server.Issuer(state.ctx)) {
    return Untrusted("token issued by another authorization server");
  }
  return jws;
}

}  // namespace

Result<IssuedTokens> IssueTokens(OidcState& state, const AuthCode& code, const UserRecord& user) {
  IssuedTokens out;
  // every scope asked for is granted: mini-okta has no access policies to narrow them, and
  // every client may use the refresh-token grant, so offline_access is granted too
  out.scopes = code.request.scopes;
  out.expires_in = state.AccessTokenLifetime();
  out.access_jti = "AT." + RandomAlphanumeric(43);
  int64_t now = state.NowSeconds();
  auto access =
      state.keys->Sign(AccessTokenPayload(state, code, user, out.scopes, out.access_jti, now));
  if (!access) return access.error();
  out.access_token = std::move(*access);
  if (!Contains(out.scopes, "openid")) return out;
  auto id = state.keys->Sign(IdTokenPayload(state, code, user, out.scopes, out.access_token, now));
  if (!id) return id.error();
  out.id_token = std::move(*id);
  return out;
}

Result<AccessTokenClaims> VerifyAccessToken(const OidcState& state, const AuthServer& server,
                                            std::string_view token) {
  auto jws = VerifySignedByUs(state, server, token);
  if (!jws) return jws.error();
  const json::Value& p = jws->payload;
  AccessTokenClaims claims;
  claims.jti = json::GetString(p, "jti").value_or("");
  claims.uid = json::GetString(p, "uid").value_or("");
  claims.cid = json::GetString(p, "cid").value_or("");
  claims.exp = json::GetInt(p, "exp").value_or(0);
  claims.auth_time = json::GetInt(p, "auth_time").value_or(0);
  claims.scopes = ReadStringArray(p, "scp");
  // An ID token is signed by the same keys; only an "AT." token with our audience is an access
  // token (RFC 9068 §4 asks the resource server to check the audience).
  if (claims.jti.rfind("AT.", 0) != 0 || claims.uid.empty())
    return Untrusted("not an access token");
  if (json::GetString(p, "aud") != server.Audience(state.ctx)) return Untrusted("wrong audience");
  // RFC 7519 §4.1.4: not accepted on or after exp.
  if (state.NowSeconds() >= claims.exp) return Untrusted("access token expired");
  if (state.revoked_jtis.Get(claims.jti)) return Untrusted("access token revoked");
  return claims;
}

Result<IdTokenHint> VerifyIdTokenHint(const OidcState& state, const AuthServer& server,
                                      std::string_view token) {
  auto jws = VerifySignedByUs(state, server, token);
  if (!jws) return jws.error();
  IdTokenHint hint;
  hint.sub = json::GetString(jws->payload, "sub").value_or("");
  hint.client_id = json::GetString(jws->payload, "aud").value_or("");
  std::string jti = json::GetString(jws->payload, "jti").value_or("");
  if (jti.rfind("ID.", 0) != 0 || hint.sub.empty()) return Untrusted("not an ID token");
  return hint;
}

}  // namespace userdesk::mini_okta::oidc
