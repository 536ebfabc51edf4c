#include "mini_okta/server/command_line.h"

#include <gtest/gtest.h>

#include <map>

namespace userdesk::mini_okta {
namespace {

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(CommandLine, DefaultsMatchTheIssue) {
  auto cfg = ParseCommandLine({}, FakeEnv({}));
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->options.host, "127.0.0.1");
  EXPECT_EQ(cfg->options.port, 3001);
  EXPECT_EQ(cfg->options.base_url, "");
  EXPECT_FALSE(cfg->options.developer_rate_limits);
  EXPECT_EQ(cfg->faults.latency_ms, 0);
  EXPECT_FALSE(cfg->faults.force_429);
}

TEST(CommandLine, FlagsInBothFormsAndEnvironmentFallback) {
  auto cfg = ParseCommandLine(
      {"--port=4000", "--data", "/tmp/d.json", "--rate-limits=developer", "--latency-ms", "20",
       "--error-rate=0.25", "--force-429", "--clock-offset=-60"},
      FakeEnv({{"MINI_OKTA_PORT", "5000"},
               {"MINI_OKTA_SEED", "/tmp/seed.json"},
               {"MINI_OKTA_BASE_URL", "http://localhost:4000"}}));
  ASSERT_TRUE(cfg.ok()) << cfg.error().detail;
  EXPECT_EQ(cfg->options.port, 4000);  // the flag wins over MINI_OKTA_PORT
  EXPECT_EQ(cfg->options.data_file, "/tmp/d.json");
  EXPECT_EQ(cfg->options.seed_file, "/tmp/seed.json");
  EXPECT_EQ(cfg->options.base_url, "http://localhost:4000");
  EXPECT_TRUE(cfg->options.developer_rate_limits);
  EXPECT_EQ(cfg->faults.latency_ms, 20);
  EXPECT_DOUBLE_EQ(cfg->faults.error_rate, 0.25);
  EXPECT_TRUE(cfg->faults.force_429);
  EXPECT_EQ(cfg->faults.clock_offset_seconds, -60);
}

TEST(CommandLine, ReportsEveryProblem) {
  auto cfg = ParseCommandLine({"--port=http", "--error-rate=3", "--bogus", "--rate-limits=max"},
                              FakeEnv({}));
  ASSERT_FALSE(cfg.ok());
  const std::string& detail = cfg.error().detail;
  EXPECT_NE(detail.find("--port"), std::string::npos);
  EXPECT_NE(detail.find("--error-rate"), std::string::npos);
  EXPECT_NE(detail.find("--bogus"), std::string::npos);
  EXPECT_NE(detail.find("--rate-limits"), std::string::npos);
}

TEST(CommandLine, Help) {
  auto cfg = ParseCommandLine({"--help"}, FakeEnv({}));
  ASSERT_TRUE(cfg.ok());
  EXPECT_TRUE(cfg->show_help);
  EXPECT_NE(UsageText().find("--rate-limits"), std::string::npos);
}

}  // namespace
}  // namespace userdesk::mini_okta
