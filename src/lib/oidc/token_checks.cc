#include "oidc/token_checks.h"

#include <cmath>

#include "jose/jws.h"

namespace userdesk::oidc {

Result<jose::CompactJws, SignatureFailure> VerifySignedToken(
    std::string_view token, const std::vector<std::string>& allowed_algs, const KeyLookup& keys) {
  auto unverified = jose::ParseCompact(token);
  if (!unverified) return SignatureFailure{std::nullopt, "malformed: " + unverified.error().detail};
  std::string kid = json::GetString(unverified->header, "kid").value_or("");
  auto key_set = keys(kid);
  // keys that cannot be had leave the token unverified, whatever the cause
  if (!key_set) return SignatureFailure{key_set.error(), ""};
  auto jws = jose::VerifyRsa(token, **key_set, allowed_algs);
  if (!jws) return SignatureFailure{std::nullopt, jws.error().detail};
  return std::move(*jws);
}

std::optional<int64_t> NumericDate(const json::Value& claims, std::string_view name) {
  const json::Value* v = json::Member(claims, name);
  if (v == nullptr || !v->IsNumber()) return std::nullopt;
  double d = v->GetDouble();
  if (!std::isfinite(d) || d < 0 || d > 1e13) return std::nullopt;
  return static_cast<int64_t>(d);
}

std::optional<std::string> AudienceProblem(const json::Value& claims,
                                           const std::string& client_id) {
  const json::Value* aud = json::Member(claims, "aud");
  if (aud == nullptr) return "no aud";
  bool ours = false;
  size_t count = 0;
  if (aud->IsString()) {
    count = 1;
    ours = std::string_view(aud->GetString(), aud->GetStringLength()) == client_id;
  } else if (aud->IsArray()) {
    for (const auto& entry : aud->GetArray()) {
      if (!entry.IsString()) return "aud has a non-string entry";
      count++;
      ours = ours || std::string_view(entry.GetString(), entry.GetStringLength()) == client_id;
    }
  } else {
    return "aud is neither a string nor an array";
  }
  if (!ours) return "aud does not contain our client_id";
  const json::Value* azp_member = json::Member(claims, "azp");
  if (count > 1 && azp_member == nullptr) return "several audiences and no azp";
  if (azp_member != nullptr && json::GetString(claims, "azp") != client_id) {
    return "azp is not our client_id";
  }
  return std::nullopt;
}

bool PlainIdentifier(std::string_view id) {
  if (id.empty() || id.size() > 255) return false;
  for (char c : id) {
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
  }
  return true;
}

std::optional<std::string> IdentifierClaim(const json::Value& claims, std::string_view name) {
  if (json::Member(claims, name) == nullptr) return std::string();
  std::optional<std::string> value = json::GetString(claims, name);
  if (!value || !PlainIdentifier(*value)) return std::nullopt;
  return value;
}

}  // namespace userdesk::oidc
