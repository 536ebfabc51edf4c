#include "admin/cli.h"

#include <algorithm>
#include <cstdlib>
#include <ostream>

#include "base/strings.h"

namespace userdesk::admin {
namespace {

// A 429 while an administrator waits at a terminal or a script runs: wait out Okta's window (at
// most a minute, as X-Rate-Limit-Reset says) rather than fail, a few times in a row.
constexpr int kRateLimitWaitMs = 60'000;
constexpr int kRateLimitRetries = 3;

bool Contains(const std::vector<std::string>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// The config problems, one per line, as the responders log them.
void WriteConfigProblems(std::string_view detail, std::ostream& err) {
  size_t start = 0;
  while (start < detail.size()) {
    size_t end = detail.find('\n', start);
    if (end == std::string_view::npos) end = detail.size();
    err << "config: " << ForTerminal(detail.substr(start, end - start)) << "\n";
    start = end + 1;
  }
}

}  // namespace

const char* DefaultEnvFile() {
#ifdef USERDESK_ADMIN_ENV_FILE
  return USERDESK_ADMIN_ENV_FILE;
#else
  return "/etc/userdesk/userdesk.env";
#endif
}

std::optional<Args> Args::Parse(const std::vector<std::string>& words, const Spec& spec,
                                std::ostream& err) {
  Args args;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word == "--") {  // everything after is positional, even "-..."
      args.positional_.insert(args.positional_.end(), words.begin() + static_cast<long>(i) + 1,
                              words.end());
      break;
    }
    if (!word.starts_with("--") || word.size() == 2) {
      args.positional_.push_back(word);
      continue;
    }
    std::string name = word.substr(0, word.find('='));
    std::optional<std::string> value;
    if (name.size() < word.size()) value = word.substr(name.size() + 1);
    if (args.Has(name)) {
      err << name << " is given twice\n";
      return std::nullopt;
    }
    if (Contains(spec.switches, name)) {
      if (value) {
        err << name << " takes no value\n";
        return std::nullopt;
      }
      args.values_[name] = "";
    } else if (Contains(spec.options, name)) {
      if (!value) {
        if (i + 1 == words.size()) {
          err << name << " needs a value\n";
          return std::nullopt;
        }
        value = words[++i];
      }
      args.values_[name] = *value;
    } else {
      err << "unknown option " << ForTerminal(name) << "\n";
      return std::nullopt;
    }
  }
  if (args.positional_.size() < spec.min_positional) {
    err << "missing argument\n";
    return std::nullopt;
  }
  if (args.positional_.size() > spec.max_positional) {
    err << "unexpected argument " << ForTerminal(args.positional_[spec.max_positional]) << "\n";
    return std::nullopt;
  }
  return args;
}

std::string Args::Value(std::string_view flag, std::string fallback) const {
  auto it = values_.find(std::string(flag));
  return it == values_.end() ? fallback : it->second;
}

std::optional<Context> LoadContext(const config::Requirements& needs, std::ostream& err) {
  // config::Load reads USERDESK_ENV_FILE; the admin's default is the installed env file, not
  // the responders' ./.env (systemd always names the file for them)
  const char* named = std::getenv("USERDESK_ENV_FILE");
  std::string env_file = named != nullptr && named[0] != '\0' ? named : DefaultEnvFile();
  ::setenv("USERDESK_ENV_FILE", env_file.c_str(), 1);
  Result<config::Config> cfg = config::Load(needs);
  if (!cfg.ok()) {
    WriteConfigProblems(cfg.error().detail, err);
    if (named == nullptr || named[0] == '\0') {
      err << "config: USERDESK_ENV_FILE is not set, so " << env_file
          << " was read (readable by root and the userdesk group); set USERDESK_ENV_FILE to "
             "use another file (the dev stack's is build/dev/.env)\n";
    }
    return std::nullopt;
  }
  Context context;
  context.config = std::move(cfg).value();
  context.env_file = env_file;
  context.okta = okta::OptionsFrom(context.config);
  context.okta.http.component = "okta";
  context.okta.max_rate_limit_wait_ms =
      std::max(context.okta.max_rate_limit_wait_ms, kRateLimitWaitMs);
  context.okta.max_retries = kRateLimitRetries;
  return context;
}

std::string ForTerminal(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t start = i;
    std::optional<char32_t> cp = NextCodePoint(text, &i);
    bool unsafe =
        !cp || IsControlCodePoint(*cp) || IsBidiControl(*cp) || *cp == 0x2028 || *cp == 0x2029;
    if (!unsafe) {
      out.append(text.substr(start, i - start));
      continue;
    }
    for (char c : text.substr(start, i - start)) {
      auto b = static_cast<unsigned char>(c);
      out.append("\\x").push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0xF]);
    }
  }
  return out;
}

Explained Explain(const okta::Failure& failure, std::string_view token_key) {
  const std::optional<okta::OktaError>& okta = failure.okta;
  std::string okta_words;
  if (okta) {
    okta_words = okta->error_code + " " + okta->error_summary;
    for (const std::string& cause : okta->causes) okta_words += "; " + cause;
    okta_words = ForTerminal(okta_words);
  }
  long status = okta ? okta->http_status : 0;
  switch (failure.error.code) {
    case ErrorCode::kUnavailable:
    case ErrorCode::kDeadlineExceeded:
      return {"Okta could not be reached or failed (" + ForTerminal(failure.error.detail) +
                  "): check ORG_URL and this host's network, then try again",
              kExitUnavailable};
    case ErrorCode::kRateLimited:
      return {"Okta's rate limit is spent for now" +
                  (okta_words.empty() ? std::string() : " (" + okta_words + ")") +
                  "; try again in " + std::to_string(std::max(failure.retry_after_seconds, 1)) +
                  " s",
              kExitUnavailable};
    case ErrorCode::kInvalidArgument:
      return {"that is not a user id or login", kExitUsage};
    case ErrorCode::kNotFound:
      if (okta) return {"Okta found nothing: " + okta_words, kExitProblems};
      return {"ORG_URL answered 404 without Okta's error object: is it your Okta org's URL?",
              kExitConfig};
    default:
      break;
  }
  if (status == 401) {
    return {std::string(token_key) + ": Okta refuses this API token (" + okta_words +
                "): it was revoked, expired after 30 days without use, or belongs to another "
                "org; create one (Admin console > Security > API > Tokens) and set " +
                std::string(token_key),
            kExitConfig};
  }
  if (status == 403 && okta && okta->error_code == "E0000006") {
    return {std::string(token_key) +
                ": the administrator who created this token may not do "
                "this (" +
                okta_words + "); use a token of an administrator who may",
            kExitConfig};
  }
  if (okta) return {"Okta refused: " + okta_words, kExitProblems};
  return {"Okta's answer was not usable (" + ForTerminal(failure.error.detail) + "): check ORG_URL",
          kExitUnavailable};
}

}  // namespace userdesk::admin
