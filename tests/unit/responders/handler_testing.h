// For unit tests of responder handlers: an App with the repo's real templates, and requests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "app/app.h"

namespace userdesk::testing {

// HOST_URL of the apps below unless a test says otherwise: a same-origin post's Origin.
inline constexpr char kTestOrigin[] = "http://127.0.0.1:3000";

// An App named name over the checkout's templates/, for HOST_URL kTestOrigin unless
// cfg says otherwise; cfg's other keys as given.
inline app::App AppWithTemplates(const char* name, config::Config cfg = {}) {
  if (cfg.host_url.empty()) cfg.host_url = kTestOrigin;
  if (cfg.app_secret.empty()) cfg.app_secret = "0123456789abcdef-test";
  auto templates = view::Templates::Load(USERDESK_SOURCE_DIR "/templates");
  EXPECT_TRUE(templates.ok());
  return app::App{
      name, cfg, std::move(*templates),
      session::SessionCodec(session::CodecOptions{cfg.app_secret, "", cfg.https(), 60})};
}

// An App whose Okta (ORG_URL) nothing listens on, with short timeouts: for handler tests of
// what must be answered without asking Okta.
inline app::App OfflineApp(const char* name) {
  config::Config cfg;
  cfg.org_url = "http://127.0.0.1:9";
  cfg.http_connect_timeout_ms = 200;
  cfg.http_timeout_ms = 200;
  return AppWithTemplates(name, cfg);
}

// A live session for user 00u1, signed in a moment ago, with this display name and CSRF secret.
inline session::Session SignedInSession(std::string name = "Ada",
                                        std::string csrf = "csrf-secret-1") {
  session::Session s;
  s.sub = "00u1";
  s.name = std::move(name);
  s.csrf = std::move(csrf);
  s.issued_at = session::NowSeconds();
  s.refreshed_at = s.issued_at;
  s.expires_at = s.issued_at + 600;
  return s;
}

// The value of response's first header named name, or "".
inline std::string HeaderOf(const http::Response& response, const std::string& name) {
  for (const auto& [k, v] : response.headers) {
    if (k == name) return v;
  }
  return "";
}

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

inline http::Request GetRequest(std::string path) {
  http::Request r;
  r.method = "GET";
  r.path = std::move(path);
  return r;
}

// A same-origin form post to path from a browser holding session's cookie, with form fields.
inline http::Request SignedInPost(const app::App& app, const session::Session& session,
                                  std::string path, http::Params form) {
  http::Request r;
  r.method = "POST";
  r.path = std::move(path);
  r.headers["origin"] = kTestOrigin;
  r.cookies[app.sessions.cookie_name()] = app.sessions.Encode(session);
  r.form = std::move(form);
  return r;
}

}  // namespace userdesk::testing
