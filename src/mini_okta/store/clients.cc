#include "mini_okta/store/clients.h"

#include "mini_okta/store/stored_json.h"

namespace userdesk::mini_okta {
namespace {

json::Value ClientToJson(const OidcClient& c, json::Allocator& a) {
  json::Value o(rapidjson::kObjectType);
  stored::AddString(o, "client_id", c.client_id, a);
  stored::AddString(o, "client_secret", c.client_secret, a);
  stored::AddString(o, "client_name", c.name, a);
  o.AddMember("redirect_uris", stored::StringArray(c.redirect_uris, a), a);
  o.AddMember("post_logout_redirect_uris", stored::StringArray(c.post_logout_redirect_uris, a), a);
  o.AddMember("pkce_required", c.pkce_required, a);
  if (!c.backchannel_logout_uri.empty()) {
    stored::AddString(o, "backchannel_logout_uri", c.backchannel_logout_uri, a);
  }
  return o;
}

OidcClient ClientFromJson(const json::Value& o) {
  OidcClient c;
  c.client_id = stored::Str(o, "client_id");
  c.client_secret = stored::Str(o, "client_secret");
  c.name = stored::Str(o, "client_name");
  c.redirect_uris = stored::ReadStringArray(o, "redirect_uris");
  c.post_logout_redirect_uris = stored::ReadStringArray(o, "post_logout_redirect_uris");
  auto pkce = o.FindMember("pkce_required");
  c.pkce_required = pkce == o.MemberEnd() || !pkce->value.IsBool() || pkce->value.GetBool();
  c.backchannel_logout_uri = stored::Str(o, "backchannel_logout_uri");
  return c;
}

}  // namespace

std::optional<OidcClient> Clients::Find(std::string_view client_id) const {
  std::lock_guard<std::mutex> lock(core_.mu);
  auto it = clients_.find(std::string(client_id));
  if (it == clients_.end()) return std::nullopt;
  return it->second;
}

void Clients::SeedLocked(const json::Value& seed) {
  stored::ForEachIn(seed, "clients", [this](const json::Value& c) {
    OidcClient client = ClientFromJson(c);
    if (!client.client_id.empty()) clients_[client.client_id] = client;
  });
}

void Clients::ReadLocked(const json::Value& data_file) {
  stored::ForEachIn(data_file, "clients", [this](const json::Value& c) {
    OidcClient client = ClientFromJson(c);
    clients_[client.client_id] = client;
  });
}

json::Value Clients::WriteLocked(json::Allocator& a) const {
  return stored::ArrayOf(
      clients_, [&a](const auto& e) { return ClientToJson(e.second, a); }, a);
}

}  // namespace userdesk::mini_okta
