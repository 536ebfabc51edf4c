#include "crypto/password_hash.h"

#include <gtest/gtest.h>

namespace userdesk::crypto {
namespace {

TEST(PasswordHash, VerifiesOnlyTheRightPassword) {
  std::string hash = HashPassword("correct horse");
  EXPECT_EQ(hash.rfind("pbkdf2_sha256$10000$", 0), 0u);
  EXPECT_EQ(hash.find("correct"), std::string::npos);
  EXPECT_TRUE(VerifyPassword("correct horse", hash));
  EXPECT_FALSE(VerifyPassword("correct horsE", hash));
  EXPECT_FALSE(VerifyPassword("", hash));
}

TEST(PasswordHash, SaltMakesEachHashDifferent) {
  EXPECT_NE(HashPassword("same"), HashPassword("same"));
}

TEST(PasswordHash, RecordsItsIterationCount) {
  std::string hash = HashPassword("pw", 1000);
  EXPECT_EQ(hash.rfind("pbkdf2_sha256$1000$", 0), 0u);
  EXPECT_TRUE(VerifyPassword("pw", hash));
}

TEST(PasswordHash, MalformedHashesNeverMatch) {
  for (const char* bad :
       {"", "pbkdf2_sha256", "pbkdf2_sha256$x$AAAA$AAAA", "md5$1$a$b", "pbkdf2_sha256$0$AAAA$AAAA",
        "pbkdf2_sha256$99999999999$AAAA$AAAA", "pbkdf2_sha256$10$!!$AAAA"}) {
    EXPECT_FALSE(VerifyPassword("pw", bad)) << bad;
  }
}

}  // namespace
}  // namespace userdesk::crypto
