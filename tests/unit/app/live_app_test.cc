// LiveApp: what `systemctl reload` (SIGHUP) rebuilds. A reload picks up templates and
// configuration edited on disk; a broken one is logged and the previous generation keeps serving;
// a request that already holds a generation finishes on it.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "app/app.h"
#include "responders/home/home_handler.h"

namespace userdesk::app {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

// A temporary copy of the templates and a .env, named through the environment the way the
// systemd unit names /etc/userdesk/userdesk.env.
class LiveAppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/userdesk-live-app-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
    fs::copy(USERDESK_SOURCE_DIR "/templates", dir_ / "templates", fs::copy_options::recursive);
    WriteEnv("0123456789abcdef-first");
    // the environment wins over the file: keep stray keys out of the way
    for (const char* key : {"HOST_URL", "APP_SECRET", "APP_SECRET_PREVIOUS", "ORG_URL"}) {
      ::unsetenv(key);
    }
    ::setenv("USERDESK_ENV_FILE", (dir_ / ".env").c_str(), 1);
    ::setenv("USERDESK_TEMPLATES", (dir_ / "templates").c_str(), 1);
  }
  void TearDown() override {
    ::unsetenv("USERDESK_ENV_FILE");
    ::unsetenv("USERDESK_TEMPLATES");
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  void WriteEnv(const std::string& app_secret) {
    WriteFile(dir_ / ".env", "HOST_URL=http://127.0.0.1:3000\nAPP_SECRET=" + app_secret + "\n");
  }
  void EditHomeTemplate(const std::string& text) {
    WriteFile(dir_ / "templates" / "home" / "index.mustache", text);
  }

  static std::string HomePage(const Served& served) {
    http::Request r;
    r.method = "GET";
    r.path = "/";
    http::Response res = served.handler(r);
    EXPECT_EQ(res.status, 200);
    return res.body;
  }

  fs::path dir_;
};

TEST_F(LiveAppTest, ReloadShowsATemplateEditedOnDisk) {
  LiveApp live("home", config::Requirements{}, responders::home::MakeHandler);
  ASSERT_TRUE(live.Reload());
  std::shared_ptr<const Served> before = live.Current();
  EXPECT_NE(HomePage(*before).find("Welcome to userdesk"), std::string::npos);

  EditHomeTemplate("<h1>Edited while serving</h1>\n");
  EXPECT_EQ(HomePage(*live.Current()).find("Edited while serving"), std::string::npos)
      << "templates are read at (re)load, not per request";
  ASSERT_TRUE(live.Reload());
  EXPECT_NE(live.Current(), before);
  EXPECT_NE(HomePage(*live.Current()).find("Edited while serving"), std::string::npos);
  // a request that took the old generation before the swap still finishes on it
  EXPECT_NE(HomePage(*before).find("Welcome to userdesk"), std::string::npos);
}

TEST_F(LiveAppTest, ReloadPicksUpANewConfiguration) {
  LiveApp live("home", config::Requirements{}, responders::home::MakeHandler);
  ASSERT_TRUE(live.Reload());
  WriteEnv("0123456789abcdef-second");
  ASSERT_TRUE(live.Reload());
  EXPECT_EQ(live.Current()->app.config.app_secret, "0123456789abcdef-second");
}

TEST_F(LiveAppTest, ABrokenConfigurationKeepsTheOldGeneration) {
  LiveApp live("home", config::Requirements{}, responders::home::MakeHandler);
  ASSERT_TRUE(live.Reload());
  std::shared_ptr<const Served> before = live.Current();

  WriteEnv("short");  // under APP_SECRET's 16-character minimum
  EditHomeTemplate("<h1>Must not show</h1>\n");
  EXPECT_FALSE(live.Reload());
  EXPECT_EQ(live.Current(), before);
  EXPECT_EQ(live.Current()->app.config.app_secret, "0123456789abcdef-first");
  EXPECT_NE(HomePage(*live.Current()).find("Welcome to userdesk"), std::string::npos);
}

TEST_F(LiveAppTest, ABrokenTemplateKeepsTheOldGeneration) {
  LiveApp live("home", config::Requirements{}, responders::home::MakeHandler);
  ASSERT_TRUE(live.Reload());
  std::shared_ptr<const Served> before = live.Current();

  EditHomeTemplate("{{#unclosed}}<h1>Must not show</h1>\n");
  EXPECT_FALSE(live.Reload());
  EXPECT_EQ(live.Current(), before);
  EXPECT_NE(HomePage(*live.Current()).find("Welcome to userdesk"), std::string::npos);

  // fixed on disk: the next reload succeeds
  EditHomeTemplate("<h1>Fixed</h1>\n");
  ASSERT_TRUE(live.Reload());
  EXPECT_NE(HomePage(*live.Current()).find("Fixed"), std::string::npos);
}

TEST_F(LiveAppTest, NoGenerationBeforeTheFirstSuccessfulLoad) {
  WriteEnv("short");
  LiveApp live("home", config::Requirements{}, responders::home::MakeHandler);
  EXPECT_FALSE(live.Reload());
  EXPECT_EQ(live.Current(), nullptr);
}

}  // namespace
}  // namespace userdesk::app
