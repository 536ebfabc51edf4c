#include "view/templates.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <unordered_map>

namespace userdesk::view {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPartialsDir = "partials/";

std::atomic<unsigned long> g_generation{0};

using ParseCache = std::unordered_map<std::string, std::unique_ptr<mustache::mustache>>;

// kainjow's render() mutates the template object, so each worker thread keeps its own parsed
// copies, dropped when another Templates instance (a reload) is used.
ParseCache& ThreadCache(unsigned long generation) {
  thread_local unsigned long cached_generation = 0;
  thread_local ParseCache cache;
  if (cached_generation != generation) {
    cache.clear();
    cached_generation = generation;
  }
  return cache;
}

}  // namespace

Result<Templates> Templates::FromSources(std::map<std::string, std::string, std::less<>> sources) {
  Templates t;
  for (auto& [name, source] : sources) {
    mustache::mustache check(source);
    if (!check.is_valid()) {
      return MakeError(ErrorCode::kInternal,
                       "template " + name + ".mustache: " + check.error_message());
    }
    if (name.rfind(kPartialsDir, 0) == 0) t.partials_[name.substr(kPartialsDir.size())] = source;
  }
  t.sources_ = std::move(sources);
  t.generation_ = ++g_generation;
  return t;
}

Result<Templates> Templates::Load(const std::string& dir) {
  std::map<std::string, std::string, std::less<>> sources;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec), end;
  if (ec) return MakeError(ErrorCode::kInternal, "templates directory " + dir + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return MakeError(ErrorCode::kInternal, "templates directory " + dir + ": " + ec.message());
    if (!it->is_regular_file() || it->path().extension() != ".mustache") continue;
    std::ifstream file(it->path());
    std::stringstream text;
    text << file.rdbuf();
    if (!file) return MakeError(ErrorCode::kInternal, "cannot read " + it->path().string());
    std::string name = fs::relative(it->path(), dir).replace_extension().generic_string();
    sources[name] = text.str();
  }
  if (sources.empty()) return MakeError(ErrorCode::kInternal, "no templates found in " + dir);
  return FromSources(std::move(sources));
}

Result<std::string> Templates::Render(std::string_view name, mustache::data data) const {
  auto it = sources_.find(name);
  if (it == sources_.end()) {
    return MakeError(ErrorCode::kInternal, "no template named " + std::string(name));
  }
  for (const auto& [partial_name, source] : partials_) {
    const std::string* text = &source;
    data.set(partial_name, mustache::partial([text] { return *text; }));
  }
  ParseCache& cache = ThreadCache(generation_);
  auto& slot = cache[it->first];
  if (!slot) slot = std::make_unique<mustache::mustache>(it->second);
  std::string out = slot->render(data);
  if (!slot->is_valid()) {
    std::string problem = slot->error_message();
    slot.reset();  // a failed render leaves the object in error; parse afresh next time
    return MakeError(ErrorCode::kInternal, "rendering " + it->first + ": " + problem);
  }
  return out;
}

}  // namespace userdesk::view
