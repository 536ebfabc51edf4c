#include "session/token_vault.h"

#include "base/log.h"
#include "json/json.h"

namespace userdesk::session {

std::string EncodeTokens(const StoredTokens& tokens) {
  json::Document doc(rapidjson::kObjectType);
  json::Allocator& a = doc.GetAllocator();
  doc.AddMember("at", json::Str(tokens.access_token, a), a);
  doc.AddMember("exp", json::Value(static_cast<int64_t>(tokens.access_expires_at)), a);
  doc.AddMember("rt", json::Str(tokens.refresh_token, a), a);
  doc.AddMember("scope", json::Str(tokens.scope, a), a);
  if (!tokens.id_token.empty()) doc.AddMember("idt", json::Str(tokens.id_token, a), a);
  return json::Write(doc);
}

std::optional<StoredTokens> DecodeTokens(std::string_view text) {
  std::optional<json::Document> doc = json::ParseObject(text);
  if (!doc) return std::nullopt;
  StoredTokens tokens;
  tokens.access_token = json::GetString(*doc, "at").value_or("");
  tokens.access_expires_at = json::GetInt(*doc, "exp").value_or(0);
  tokens.refresh_token = json::GetString(*doc, "rt").value_or("");
  tokens.scope = json::GetString(*doc, "scope").value_or("");
  tokens.id_token = json::GetString(*doc, "idt").value_or("");
  // an access token needs its expiry; a blob with neither token is not ours
  if (!tokens.access_token.empty() && !json::GetInt(*doc, "exp")) return std::nullopt;
  if (tokens.access_token.empty() && tokens.id_token.empty()) return std::nullopt;
  return tokens;
}

TokenVault::TokenVault(std::shared_ptr<Registry> registry, const std::string& secret,
                       const std::string& previous_secret)
    : registry_(std::move(registry)), sealer_(kPurpose, secret, previous_secret) {}

Result<bool> TokenVault::Put(std::string_view record_id, const StoredTokens& tokens) {
  return registry_->PutTokens(record_id, sealer_.Seal(EncodeTokens(tokens), record_id));
}

Result<std::optional<StoredTokens>> TokenVault::Get(std::string_view record_id) {
  auto blob = registry_->Tokens(record_id);
  if (!blob.ok()) return blob.error();
  if (!blob->has_value()) return std::optional<StoredTokens>();
  std::optional<std::string> opened = sealer_.Open(**blob, record_id);
  std::optional<StoredTokens> tokens = opened ? DecodeTokens(*opened) : std::nullopt;
  if (!tokens) {
    // APP_SECRET changed past APP_SECRET_PREVIOUS, or the store was tampered with: the tokens
    // are lost, not the session; the next MyAccount call asks the user to sign in again
    log::Warn("session", log::Event("session.tokens_unreadable",
                                    "stored tokens do not decrypt; dropped (sign in again)")
                             .Add("record", std::string(record_id)));
    if (Status dropped = registry_->DropTokens(record_id); !dropped.ok()) {
      log::Warn("session", "unreadable tokens not dropped: " + dropped.error().detail);
    }
    return std::optional<StoredTokens>();
  }
  return tokens;
}

Status TokenVault::Drop(std::string_view record_id) { return registry_->DropTokens(record_id); }

}  // namespace userdesk::session
