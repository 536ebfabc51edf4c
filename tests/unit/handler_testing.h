// For unit tests of responder handlers: an App with the repo's real templates, and requests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "app/app.h"

namespace userdesk::testing {

// An App named name over the checkout's templates/, for HOST_URL http://127.0.0.1:3000 unless
// cfg says otherwise; cfg's other keys as given.
inline app::App AppWithTemplates(const char* name, config::Config cfg = {}) {
  if (cfg.host_url.empty()) cfg.host_url = "http://127.0.0.1:3000";
  if (cfg.app_secret.empty()) cfg.app_secret = "0123456789abcdef-test";
  auto templates = view::Templates::Load(USERDESK_SOURCE_DIR "/templates");
  EXPECT_TRUE(templates.ok());
  return app::App{
      name, cfg, std::move(*templates),
      session::SessionCodec(session::CodecOptions{cfg.app_secret, "", cfg.https(), 60})};
}

inline http::Request GetRequest(std::string path) {
  http::Request r;
  r.method = "GET";
  r.path = std::move(path);
  return r;
}

}  // namespace userdesk::testing
