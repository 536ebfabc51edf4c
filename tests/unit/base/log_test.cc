#include "base/log.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

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

}  // namespace
}  // namespace userdesk::log
