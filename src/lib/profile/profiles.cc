#include "profile/profiles.h"

#include <algorithm>

#include "base/strings.h"

namespace userdesk::profile {

Profiles::Profiles(const config::Config& config, AccessTokenSource tokens)
    : client_(okta::OptionsFrom(config)),
      myaccount_(okta::OptionsFrom(config)),
      tokens_(std::move(tokens)),
      schema_client_(okta::OptionsFrom(config)),
      cache_(CacheOptions{config.profile_cache_seconds,
                          static_cast<size_t>(config.profile_cache_max_users),
                          std::max(8, config.okta_max_concurrent_calls / 4)}),
      schemas_(config.schema_cache_seconds, config.profile_fields),
      token_(config.user_profile_token) {}

template <typename T>
okta::OktaResult<T> Profiles::AsUser(
    const session::Session& session,
    const std::function<okta::OktaResult<T>(const std::string&)>& call) {
  Result<std::string> token = tokens_(session, false);
  if (!token.ok()) return okta::Failure{token.error(), {}, 0};
  okta::OktaResult<T> answer = call(*token);
  if (answer.ok() || answer.error().error.reason != Reason::kAccessTokenRefused) return answer;
  token = tokens_(session, true);  // revoked or expired early: one refresh, one more try
  if (!token.ok()) return okta::Failure{token.error(), {}, 0};
  return call(*token);
}

okta::OktaResult<CachedProfile> Profiles::Load(const session::Session& session) {
  return cache_.Get(session.sub, session.profile_updated_ms, [&]() -> okta::OktaResult<okta::User> {
    if (!tokens_) return client_.GetUser(token_, session.sub);
    okta::OktaResult<okta::User> user = AsUser<okta::User>(
        session, [&](const std::string& token) { return myaccount_.GetProfile(token); });
    if (user.ok()) user->id = session.sub;  // MyAccount's answer names no one: it is the user's
    return user;
  });
}

okta::OktaResult<okta::User> Profiles::Save(const session::Session& session,
                                            const ProfileSchema& schema,
                                            const std::vector<okta::ProfileChange>& changes) {
  okta::OktaResult<okta::User> saved = tokens_
                                           ? ReplaceAsUser(session, schema, changes)
                                           : client_.UpdateProfile(token_, session.sub, changes);
  if (saved.ok()) cache_.Store(*saved);
  return saved;
}

okta::OktaResult<okta::User> Profiles::ReplaceAsUser(
    const session::Session& session, const ProfileSchema& schema,
    const std::vector<okta::ProfileChange>& changes) {
  // Okta's copy as it is now, not this process's cached one: what the replace leaves as it was
  // (attributes not on the form, of types the form does not edit) goes back exactly as stored.
  okta::OktaResult<json::Document> current = AsUser<json::Document>(
      session, [&](const std::string& token) { return myaccount_.GetProfileDocument(token); });
  if (!current.ok()) return current.error();
  const json::Value* stored = json::GetObject(*current, "profile");
  if (stored == nullptr) {
    return okta::Failure{
        MakeError(ErrorCode::kUpstreamUnavailable, "MyAccount profile: no profile object"), {}, 0};
  }
  json::Document profile(rapidjson::kObjectType);
  json::Allocator& a = profile.GetAllocator();
  auto writable = [&](std::string_view name) {
    const Attribute* attribute = schema.Find(name);
    return attribute != nullptr && attribute->self_writable;
  };
  for (const auto& m : stored->GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (writable(name) && !m.value.IsNull()) {
      profile.AddMember(json::Value(m.name, a), json::Value(m.value, a), a);
    }
  }
  for (const auto& [name, value] : changes) {
    if (!writable(name)) continue;  // the schema is the allow-list (ChangedFields checked it too)
    profile.RemoveMember(json::Str(name, a));
    if (value) profile.AddMember(json::Str(name, a), okta::ToJson(*value, a), a);
  }
  okta::OktaResult<okta::User> saved = AsUser<okta::User>(
      session, [&](const std::string& token) { return myaccount_.ReplaceProfile(token, profile); });
  if (saved.ok()) saved->id = session.sub;
  return saved;
}

okta::OktaResult<CachedSchema> Profiles::Schema(const session::Session& session) {
  return schemas_.Get([&]() -> okta::OktaResult<std::vector<Attribute>> {
    if (tokens_) {  // the schema as MyAccount shows it to this user (the same for every user)
      okta::OktaResult<json::Document> read = AsUser<json::Document>(
          session, [&](const std::string& token) { return myaccount_.GetProfileSchema(token); });
      if (!read.ok()) return read.error();
      Result<std::vector<Attribute>> attributes = AttributesFromMyAccount(*read);
      if (!attributes.ok()) return okta::Failure{attributes.error(), {}, 0};
      return std::move(attributes).value();
    }
    okta::OktaResult<okta::UserSchema> read = schema_client_.GetUserSchema(token_);
    if (!read.ok()) return read.error();
    Result<std::vector<Attribute>> attributes = AttributesFromSchemasApi(read->document);
    if (!attributes.ok()) return okta::Failure{attributes.error(), {}, 0};
    return std::move(attributes).value();
  });
}

std::string DisplayName(const okta::User& user) {
  std::string name(TrimSpace(user.Attribute("firstName") + " " + user.Attribute("lastName")));
  return name.empty() ? user.Attribute("login") : name;
}

}  // namespace userdesk::profile
