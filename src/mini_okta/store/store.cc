#include "mini_okta/store/store.h"

#include <unistd.h>

#include <optional>
#include <utility>

#include "base/file.h"
#include "json/json.h"

namespace userdesk::mini_okta {
namespace {

constexpr int kDataFileVersion = 1;

bool FileExists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

}  // namespace

Store::Store() {
  core_.save_locked = [this] { return SaveLocked(); };
}

void Store::SetClock(Clock clock) {
  std::lock_guard<std::mutex> lock(core_.mu);
  core_.clock = std::move(clock);
}

int64_t Store::NowMillis() const {
  std::lock_guard<std::mutex> lock(core_.mu);
  return core_.clock();
}

Status Store::Open(const std::string& data_file, const std::string& seed_file) {
  {
    std::lock_guard<std::mutex> lock(core_.mu);
    data_file_ = data_file;
    if (!data_file.empty() && FileExists(data_file)) {
      std::optional<std::string> text = file::Read(data_file);
      if (!text) return MakeError(ErrorCode::kInternal, "cannot read data file " + data_file);
      return LoadDataFileLocked(*text);
    }
  }
  if (!seed_file.empty()) {
    std::optional<std::string> seed = file::Read(seed_file);
    if (!seed) return MakeError(ErrorCode::kInvalidArgument, "cannot read seed file " + seed_file);
    Status loaded = LoadSeed(*seed);
    if (!loaded) return loaded;
  }
  std::lock_guard<std::mutex> lock(core_.mu);
  return SaveLocked();
}

Status Store::LoadSeed(std::string_view seed_json) {
  auto seed = json::ParseObject(seed_json);
  if (!seed) return MakeError(ErrorCode::kInvalidArgument, "seed is not a JSON object");
  std::lock_guard<std::mutex> lock(core_.mu);
  Status users = users_.SeedLocked(*seed, core_.NowLocked());
  if (!users) return users;
  clients_.SeedLocked(*seed);
  api_tokens_.SeedLocked(*seed);
  schema_.SeedLocked(*seed);
  return SaveLocked();
}

Status Store::LoadDataFileLocked(std::string_view text) {
  auto doc = json::ParseObject(text);
  if (!doc) return MakeError(ErrorCode::kInternal, "data file is not a JSON object");
  if (json::GetInt(*doc, "version").value_or(0) != kDataFileVersion) {
    return MakeError(ErrorCode::kInternal, "data file has an unknown version");
  }
  schema_.ReadLocked(*doc);
  users_.ReadLocked(*doc);
  clients_.ReadLocked(*doc);
  api_tokens_.ReadLocked(*doc);
  outbox_.ReadLocked(*doc);
  links_.ReadLocked(*doc);
  return OkStatus();
}

Status Store::SaveLocked() const {
  if (data_file_.empty()) return OkStatus();
  json::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  doc.AddMember("version", kDataFileVersion, a);
  doc.AddMember("schema", schema_.WriteLocked(a), a);
  doc.AddMember("users", users_.WriteLocked(a), a);
  doc.AddMember("clients", clients_.WriteLocked(a), a);
  doc.AddMember("apiTokenSha256", api_tokens_.WriteLocked(a), a);
  doc.AddMember("apiTokenPermissions", api_tokens_.WritePermissionsLocked(a), a);
  doc.AddMember("outbox", outbox_.WriteLocked(a), a);
  doc.AddMember("userTokens", links_.WriteLocked(a), a);
  return file::WriteAtomically(data_file_, json::Write(doc));
}

}  // namespace userdesk::mini_okta
