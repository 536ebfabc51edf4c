// The data file: everything survives a restart, the seed applies only to a new file, and the file
// holds password and API-token hashes, never the secrets themselves.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "mini_okta/test_server.h"

namespace userdesk::mini_okta {
namespace {

using testing::ServerHarness;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/mini-okta-test-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteAll(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

Options WithFiles(const std::string& data, const std::string& seed) {
  Options o;
  o.data_file = data;
  o.seed_file = seed;
  return o;
}

TEST(Persistence, StateSurvivesRestartAndSeedIsUsedOnce) {
  TempDir dir;
  std::string data = dir.File("data.json");
  std::string seed = dir.File("seed.json");
  WriteAll(seed, testing::DefaultSeed());
  std::string id;
  {
    ServerHarness h(WithFiles(data, seed), {}, "");
    h.Start();
    EXPECT_TRUE(h.store().users().Find("demo@example.com").has_value());
    id = h.CreateUser("kept@example.com", "Saved-Passw0rd");
    ASSERT_EQ(h.ApiPost("/api/v1/users/" + id, R"({"profile":{"favoriteColor":"teal"}})")->status,
              200);
    ASSERT_EQ(h.ApiPost("/api/v1/users/" + id + "/lifecycle/reset_password?sendEmail=true")->status,
              200);
    ASSERT_EQ(
        h.ApiPost(
             "/api/v1/meta/schemas/user/default",
             R"({"definitions":{"custom":{"properties":{"nick":{"title":"Nick","type":"string"}}}}})")
            ->status,
        200);
  }
  std::string file = ReadAll(data);
  EXPECT_EQ(file.find("Saved-Passw0rd"), std::string::npos);
  EXPECT_EQ(file.find(testing::kDemoPassword), std::string::npos);
  EXPECT_EQ(file.find(testing::kApiToken), std::string::npos);
  EXPECT_NE(file.find("pbkdf2_sha256$"), std::string::npos);
  // A changed seed is ignored once the data file exists.
  WriteAll(seed, R"({"users":[{"profile":{"login":"new@example.com"},"password":"X"}]})");
  ServerHarness h(WithFiles(data, seed), {}, "");
  h.Start();
  EXPECT_FALSE(h.store().users().Find("new@example.com").has_value());
  std::optional<UserRecord> kept = h.store().users().Find(id);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->status, "RECOVERY");
  EXPECT_TRUE(h.store().users().CheckPassword(*kept, "Saved-Passw0rd"));
  EXPECT_NE(kept->profile_json.find("teal"), std::string::npos);
  EXPECT_EQ(h.store().outbox().List().size(), 1u);
  EXPECT_NE(h.store().schema().CustomPropertiesJson().find("nick"), std::string::npos);
  // The API token still works (it was stored hashed) and the reset link still opens.
  EXPECT_EQ(h.ApiGet("/api/v1/users/" + id)->status, 200);
  // The link's host part names the old port; its token must still open the form.
  std::string link = h.store().outbox().List()[0].link;
  std::string path = link.substr(link.find("/reset_password/"));
  EXPECT_EQ(h.Client().Get(path)->status, 200);
}

TEST(Persistence, WritesAreAtomicReplacements) {
  TempDir dir;
  std::string data = dir.File("data.json");
  ServerHarness h(WithFiles(data, ""));
  h.Start();
  h.CreateUser("atomic@example.com");
  EXPECT_TRUE(json::ParseObject(ReadAll(data)).has_value());
  for (const auto& entry : std::filesystem::directory_iterator(dir.File(""))) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos)
        << "temp file left behind";
  }
}

TEST(Persistence, CorruptDataFileFailsStart) {
  TempDir dir;
  std::string data = dir.File("data.json");
  WriteAll(data, "{ half a fi");
  MiniOktaServer server(WithFiles(data, ""));
  Status started = server.Start();
  EXPECT_FALSE(started.ok());
}

TEST(Persistence, SeedWithUnknownStatusFailsStart) {
  TempDir dir;
  std::string seed = dir.File("seed.json");
  WriteAll(seed, R"({"users":[{"status":"SLEEPING","profile":{"login":"z@example.com"}}]})");
  Options o = WithFiles(dir.File("data.json"), seed);
  o.port = 0;
  MiniOktaServer server(o);
  EXPECT_FALSE(server.Start().ok());
}

TEST(Persistence, MissingSeedFileFailsStart) {
  TempDir dir;
  Options o = WithFiles(dir.File("data.json"), dir.File("no-such-seed.json"));
  o.port = 0;
  MiniOktaServer server(o);
  EXPECT_FALSE(server.Start().ok());
}

}  // namespace
}  // namespace userdesk::mini_okta
