#include "base/log.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "base/strings.h"
#include "json/json.h"

namespace userdesk::log {
namespace {

using namespace std::string_literals;

TEST(LogEscape, ControlCharactersBecomeHexEscapes) {
  EXPECT_EQ(Escape("\x1b[31mred"), "\\x1b[31mred");
  EXPECT_EQ(Escape("a\0b"s), "a\\x00b");
  EXPECT_EQ(Escape("one\ntwo\rthree\tfour"), "one\\x0atwo\\x0dthree\\x09four");
  EXPECT_EQ(Escape("\x7f"), "\\x7f");
  // C1 controls (U+0080-U+009F), e.g. U+009B, a terminal's one-byte CSI: every byte escaped
  EXPECT_EQ(Escape("\xc2\x9b"
                   "2J"),
            "\\xc2\\x9b2J");
}

TEST(LogEscape, BytesThatAreNotUtf8BecomeHexEscapes) {
  EXPECT_EQ(Escape("\xff"), "\\xff");
  EXPECT_EQ(Escape("a\xc3"), "a\\xc3");                  // a sequence cut short
  EXPECT_EQ(Escape("\xc0\xaf"), "\\xc0\\xaf");           // an overlong "/"
  EXPECT_EQ(Escape("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a surrogate
  EXPECT_EQ(Escape("\xe2\x28\xa1"), "\\xe2(\\xa1");      // a broken sequence, then ASCII
}

TEST(LogEscape, BidiControlsAndLineSeparatorsAreEscaped) {
  EXPECT_EQ(Escape("user=\xe2\x80\xae"
                   "nimda"),
            "user=\\xe2\\x80\\xaenimda");                                             // U+202E
  EXPECT_EQ(Escape("\xe2\x81\xa6x\xe2\x81\xa9"), "\\xe2\\x81\\xa6x\\xe2\\x81\\xa9");  // LRI, PDI
  EXPECT_EQ(Escape("\xd8\x9c"), "\\xd8\\x9c");                                        // U+061C
  EXPECT_EQ(Escape("a\xe2\x80\xa8"
                   "b\xe2\x80\xa9"),
            "a\\xe2\\x80\\xa8b\\xe2\\x80\\xa9");
}

TEST(LogEscape, PrintableTextAndOtherUnicodeAreKept) {
  EXPECT_EQ(Escape("GET /profile?x=1 200 0.3ms id=abc"), "GET /profile?x=1 200 0.3ms id=abc");
  EXPECT_EQ(Escape("Zo\xc3\xab \xf0\x9f\x98\x80 \xe6\x97\xa5\xe6\x9c\xac"),
            "Zo\xc3\xab \xf0\x9f\x98\x80 \xe6\x97\xa5\xe6\x9c\xac");
}

TEST(LogEscape, TheBackslashIsEscapedSoEveryLineReadsBackOneWay) {
  EXPECT_EQ(Escape("C:\\dir"), "C:\\\\dir");
  // a literal "\x1b" typed into a path and a real ESC must not log alike
  EXPECT_NE(Escape("\\x1b"), Escape("\x1b"));
  EXPECT_EQ(Escape("\\x1b"), "\\\\x1b");
}

TEST(LogEscape, TheOutputIsPrintableAsciiOrWellFormedUtf8Text) {
  std::string every_byte;
  for (int b = 0; b < 256; b++) every_byte.push_back(static_cast<char>(b));
  std::string out = Escape(every_byte);
  for (char c : out) {
    auto b = static_cast<unsigned char>(c);
    EXPECT_TRUE(b >= 0x20 && b < 0x7f) << "byte " << static_cast<int>(b);
  }
}

TEST(LogList, CapsHowManyNamesAndHowLongEachIs) {
  EXPECT_EQ(List({}), "");
  EXPECT_EQ(List({"login", "email"}), "login, email");
  std::vector<std::string> many;
  for (int i = 0; i < 50; i++) many.push_back("f" + std::to_string(i));
  EXPECT_EQ(List(many), "f0, f1, f2, f3, f4, f5, f6, f7, f8, f9 (+40 more)");
  // cut by characters, never inside one
  std::string emoji;
  for (int i = 0; i < 100; i++) emoji += "\xf0\x9f\x98\x80";
  EXPECT_EQ(List({std::string(5000, 'x'), emoji}),
            std::string(64, 'x') + ", " + emoji.substr(0, 64 * 4));
  EXPECT_EQ(List({"abcdef"}, 10, 3), "abc");
}

// A request's names cannot forge a field of the JSON line (FromText reads trailing key=value
// words) nor look like two names.
TEST(LogList, ANameCannotAddWordsOrFieldsToTheLine) {
  EXPECT_EQ(List({"x user=00uVictim", "a, b", "100%"}), "x%20user%3D00uVictim, a%2C%20b, 100%25");
  Event event = FromText("ignored: " + List({"user=00uVictim"}) + " user=00u1 id=r1");
  ASSERT_EQ(event.fields().size(), 1u);
  EXPECT_EQ(event.fields()[0].first, "user");
}

TEST(LogWrite, OneEscapedLinePerEvent) {
  SetLevel(Level::kInfo);  // the default
  ::testing::internal::CaptureStderr();
  Info("home", "GET /\x1b]0;pwned\x07\0x\nFAKE 200"s + IdTag("r1"));
  std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(out.find(" info home: GET /\\x1b]0;pwned\\x07\\x00x\\x0aFAKE 200 id=r1\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_EQ(out.find('\0'), std::string::npos);
  EXPECT_EQ(out.find('\n'), out.size() - 1) << "exactly one line";
}

// ---- LOG_FORMAT=json ------------------------------------------------------------------------

// Sets the JSON format (and a responder name) for one test, then back to the defaults.
class JsonFormat : public ::testing::Test {
 protected:
  void SetUp() override {
    SetLevel(Level::kDebug);
    SetFormat(Format::kJson);
    SetResponder("auth");
  }
  void TearDown() override {
    SetFormat(Format::kText);
    SetResponder("");
    SetLevel(Level::kInfo);
  }

  // What the calls in write() print to stderr, one string per line (each ending in '\n').
  template <typename F>
  static std::vector<std::string> Lines(F write) {
    ::testing::internal::CaptureStderr();
    write();
    std::string out = ::testing::internal::GetCapturedStderr();
    std::vector<std::string> lines;
    for (size_t start = 0; start < out.size();) {
      size_t end = out.find('\n', start);
      EXPECT_NE(end, std::string::npos) << "a line without its newline: " << out.substr(start);
      if (end == std::string::npos) end = out.size() - 1;
      lines.push_back(out.substr(start, end + 1 - start));
      start = end + 1;
    }
    return lines;
  }

  // The line parsed, with every key a JSON line must have, of the right type.
  static json::Document Parsed(const std::string& line) {
    EXPECT_EQ(line.find('\n'), line.size() - 1) << line;
    auto doc = json::ParseObject(line);
    EXPECT_TRUE(doc.has_value()) << "not a JSON object: " << line;
    if (!doc) return json::Document(rapidjson::kObjectType);
    for (const char* key : {"time", "level", "responder", "component", "event", "message"}) {
      EXPECT_TRUE(json::GetString(*doc, key).has_value()) << key << " in " << line;
    }
    const json::Value* id = json::Member(*doc, "request_id");
    EXPECT_TRUE(id != nullptr && (id->IsString() || id->IsNull())) << line;
    EXPECT_NE(json::GetObject(*doc, "fields"), nullptr) << line;
    EXPECT_TRUE(IsValidUtf8(line)) << line;
    for (char c : line.substr(0, line.size() - 1)) {
      EXPECT_GE(static_cast<unsigned char>(c), 0x20) << "a raw control character: " << line;
    }
    return std::move(*doc);
  }
};

TEST(LogFormat, ParsesTextAndJsonOnly) {
  Format f = Format::kText;
  EXPECT_TRUE(ParseFormat("json", &f));
  EXPECT_EQ(f, Format::kJson);
  EXPECT_TRUE(ParseFormat("text", &f));
  EXPECT_EQ(f, Format::kText);
  EXPECT_FALSE(ParseFormat("JSON", &f));
  EXPECT_FALSE(ParseFormat("", &f));
  EXPECT_FALSE(ParseFormat("logfmt", &f));
}

TEST(LogEvent, TheTextFormatWritesTheMessageAndTheIdTagAsBefore) {
  SetLevel(Level::kInfo);
  ::testing::internal::CaptureStderr();
  Info("auth", Event("signin.ok", "signed in sub=00u1").Id("r1").Add("sub", "00u1"));
  Info("auth", Event("signin.ok", "no id").Id(""));
  Info("okta", Event("http.call", "GET https://okta/x 200 1.0ms").Add("status", 200));
  std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(out.find(" info auth: signed in sub=00u1 id=r1\n"), std::string::npos) << out;
  EXPECT_NE(out.find(" info auth: no id id=-\n"), std::string::npos) << out;
  EXPECT_NE(out.find(" info okta: GET https://okta/x 200 1.0ms\n"), std::string::npos) << out;
  EXPECT_EQ(out.find('{'), std::string::npos) << out;
}

TEST_F(JsonFormat, AnEventIsOneObjectWithItsNameIdAndTypedFields) {
  auto lines = Lines([] {
    Info("auth", Event("http.request", "GET /login 302 1.2ms")
                     .Id("req-1")
                     .Add("method", "GET")
                     .Add("status", 302)
                     .Add("duration_ms", 1.25));
  });
  ASSERT_EQ(lines.size(), 1u);
  json::Document d = Parsed(lines[0]);
  EXPECT_EQ(json::GetString(d, "level"), "info");
  EXPECT_EQ(json::GetString(d, "responder"), "auth");
  EXPECT_EQ(json::GetString(d, "component"), "auth");
  EXPECT_EQ(json::GetString(d, "event"), "http.request");
  EXPECT_EQ(json::GetString(d, "request_id"), "req-1");
  EXPECT_EQ(json::GetString(d, "message"), "GET /login 302 1.2ms");
  const json::Value* fields = json::GetObject(d, "fields");
  ASSERT_NE(fields, nullptr);
  EXPECT_EQ(json::GetString(*fields, "method"), "GET");
  EXPECT_EQ(json::GetInt(*fields, "status"), 302);
  ASSERT_TRUE((*fields)["duration_ms"].IsDouble());
  EXPECT_DOUBLE_EQ((*fields)["duration_ms"].GetDouble(), 1.25);
  std::string time = *json::GetString(d, "time");
  EXPECT_EQ(time.size(), 24u) << time;  // 2026-12-04T07:07:04.123Z
  EXPECT_EQ(time.back(), 'Z');
}

TEST_F(JsonFormat, ALineWithoutARequestHasANullRequestId) {
  auto lines = Lines([] {
    Info("home", "serving with 8 threads");
    Warn("okta", Event("http.call_busy", "not sent"));
  });
  ASSERT_EQ(lines.size(), 2u);
  for (const std::string& line : lines) {
    json::Document d = Parsed(line);
    EXPECT_TRUE(d["request_id"].IsNull()) << line;
  }
}

TEST_F(JsonFormat, FreeTextLinesGetTheTextEventTheirIdAndTheirTrailingKeyValues) {
  auto lines = Lines([] {
    Info("profile", "session ended: the password changed after it began sub=00u1" + IdTag("r9"));
    Warn("okta",
         "GET /api/v1/users/me failed: kUnavailable (HTTP 503) errorCode=E0000009 "
         "errorId=oae1 retryAfter=10s");
    Error("home", "accept: Too many open files");
    Info("home", "x" + IdTag(""));
  });
  ASSERT_EQ(lines.size(), 4u);
  json::Document a = Parsed(lines[0]);
  EXPECT_EQ(json::GetString(a, "event"), "text");
  EXPECT_EQ(json::GetString(a, "request_id"), "r9");
  EXPECT_EQ(json::GetString(a, "message"),
            "session ended: the password changed after it began sub=00u1");
  EXPECT_EQ(json::GetString(*json::GetObject(a, "fields"), "sub"), "00u1");

  json::Document b = Parsed(lines[1]);
  const json::Value& f = *json::GetObject(b, "fields");
  EXPECT_EQ(json::GetString(f, "errorCode"), "E0000009");
  EXPECT_EQ(json::GetString(f, "errorId"), "oae1");
  EXPECT_EQ(json::GetString(f, "retryAfter"), "10s");
  EXPECT_EQ(f.MemberCount(), 3u);  // "(HTTP 503)" and what comes before are words, not fields

  json::Document c = Parsed(lines[2]);
  EXPECT_EQ(json::GetString(c, "level"), "error");
  EXPECT_EQ(json::GetObject(c, "fields")->MemberCount(), 0u);
  EXPECT_TRUE(c["request_id"].IsNull());

  json::Document d = Parsed(lines[3]);
  EXPECT_TRUE(d["request_id"].IsNull()) << "\"id=-\" is no request";
  EXPECT_EQ(json::GetString(d, "message"), "x");
}

TEST_F(JsonFormat, HostileTextStaysInsideItsStringAndEveryLineParses) {
  std::string every_byte;
  for (int b = 0; b < 256; b++) every_byte.push_back(static_cast<char>(b));
  const std::vector<std::string> hostile = {
      "\"},\"level\":\"error\",\"x\":{\"",           // quotes closing the string
      "line one\nline two\r\n{\"event\":\"fake\"}",  // a forged second line
      "\x1b]0;pwned\x07 \x1b[2J",                    // terminal escapes
      "a\0b"s,                                       // NUL
      "\xff\xfe \xc0\xaf \xed\xa0\x80 a\xc3",        // not UTF-8
      "\xe2\x80\xae"
      "nimda \xe2\x80\xa8 \xe2\x80\xa9",  // bidi, U+2028/9
      "back\\slash \\u0000 \\\"",         // JSON-looking escapes
      "caf\xc3\xa9 \xf0\x9f\x98\x80",     // real Unicode
      every_byte,
  };
  auto lines = Lines([&] {
    for (const std::string& text : hostile) {
      Info(text, Event(text, text).Id(text).Add(text, text).Add("k", text));
      Info(text, text + " key=" + text + IdTag(text));
    }
  });
  ASSERT_EQ(lines.size(), hostile.size() * 2);
  for (size_t i = 0; i < hostile.size(); i++) {
    json::Document d = Parsed(lines[2 * i]);
    // what is in the strings is the log's escaped text: reading it back gives Escape(text)
    EXPECT_EQ(json::GetString(d, "message"), Escape(hostile[i])) << i;
    EXPECT_EQ(json::GetString(d, "event"), Escape(hostile[i])) << i;
    EXPECT_EQ(json::GetString(d, "component"), Escape(hostile[i])) << i;
    EXPECT_EQ(json::GetString(*json::GetObject(d, "fields"), "k"), Escape(hostile[i])) << i;
    EXPECT_EQ(json::GetString(d, "level"), "info") << "a forged key did not win: " << lines[2 * i];
    Parsed(lines[2 * i + 1]);
  }
}

TEST(LogSecretKey, NamesOfSecretsAreRecognisedWhateverTheirCase) {
  for (const char* key :
       {"password", "newPassword", "client_secret", "APP_SECRET", "token", "id_token",
        "accessToken", "cookie", "session", "sessionId", "Authorization", "nonce", "code_verifier",
        "client_assertion", "code", "CODE", "state", "sid", "jti"}) {
    EXPECT_TRUE(SecretKey(key)) << key;
  }
  for (const char* key : {"sub", "status", "method", "path", "user_id", "errorCode", "ended",
                          "detail", "reason", "duration_ms"}) {
    EXPECT_FALSE(SecretKey(key)) << key;
  }
}

TEST_F(JsonFormat, AFieldNamingASecretIsNeverWritten) {
  auto lines = Lines([] {
    Info("auth", Event("x", "m")
                     .Add("password", "hunter2")
                     .Add("id_token", "eyJhbGci.x.y")
                     .Add("code", "SplxlOBeZQQYbYS6WxSbIA")
                     .Add("sub", "00u1"));
    Info("auth", "callback code=SplxlOBeZQQYbYS6WxSbIA state=af0ifjsldkj sub=00u1 id=r1");
  });
  ASSERT_EQ(lines.size(), 2u);
  for (const std::string& line : lines) {
    Parsed(line);
    for (const char* secret : {"hunter2", "eyJhbGci", "SplxlOBeZQQYbYS6WxSbIA", "af0ifjsldkj"}) {
      EXPECT_EQ(line.find(secret), std::string::npos) << secret << " in " << line;
    }
    EXPECT_NE(line.find("\"sub\":\"00u1\""), std::string::npos) << line;
  }
  json::Document d = Parsed(lines[0]);
  EXPECT_EQ(json::GetString(*json::GetObject(d, "fields"), "password"), "[redacted]");
}

TEST_F(JsonFormat, LinesWrittenWhileAnsweringARequestCarryItsId) {
  auto lines = Lines([] {
    Info("okta", Event("http.call", "outside"));
    {
      RequestScope outer("req-outer");
      Info("okta", Event("http.call", "inside"));
      Info("session", "free text inside");
      Info("auth", Event("signin.ok", "its own id wins").Id("req-own"));
      {
        RequestScope inner("req-inner");
        Info("okta", Event("http.call", "nested"));
      }
      Info("okta", Event("http.call", "outer again"));
    }
    Info("okta", Event("http.call", "after"));
  });
  ASSERT_EQ(lines.size(), 7u);
  std::vector<std::string> ids;
  for (const std::string& line : lines) {
    json::Document d = Parsed(line);
    ids.push_back(d["request_id"].IsNull() ? "null" : d["request_id"].GetString());
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"null", "req-outer", "req-outer", "req-own", "req-inner",
                                           "req-outer", "null"}));
}

TEST(LogRequestScope, TheTextFormatIsUnchanged) {
  SetLevel(Level::kInfo);
  ::testing::internal::CaptureStderr();
  {
    RequestScope scope("req-1");
    Info("okta", Event("http.call", "GET https://okta/x 200 1.0ms"));
  }
  std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(out.find(" info okta: GET https://okta/x 200 1.0ms\n"), std::string::npos) << out;
}

TEST_F(JsonFormat, NumbersThatJsonCannotHoldAreNull) {
  auto lines = Lines([] {
    Info("okta", Event("x", "m")
                     .Add("nan", std::nan(""))
                     .Add("inf", std::numeric_limits<double>::infinity()));
  });
  ASSERT_EQ(lines.size(), 1u);
  json::Document d = Parsed(lines[0]);
  EXPECT_TRUE((*json::GetObject(d, "fields"))["nan"].IsNull());
  EXPECT_TRUE((*json::GetObject(d, "fields"))["inf"].IsNull());
}

TEST_F(JsonFormat, TheLevelStillFiltersAndTheResponderDefaultsToTheComponent) {
  SetLevel(Level::kWarn);
  SetResponder("");
  auto lines = Lines([] {
    Info("home", "dropped");
    Warn("home", "kept");
  });
  ASSERT_EQ(lines.size(), 1u);
  json::Document d = Parsed(lines[0]);
  EXPECT_EQ(json::GetString(d, "responder"), "home");
  EXPECT_EQ(json::GetString(d, "level"), "warn");
}

}  // namespace
}  // namespace userdesk::log
