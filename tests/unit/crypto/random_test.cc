#include "crypto/random.h"

#include <gtest/gtest.h>

namespace userdesk::crypto {
namespace {

TEST(Random, TokensAreDistinctAndUrlSafe) {
  std::string a = RandomToken(), b = RandomToken();
  EXPECT_EQ(a.size(), 43u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
}

}  // namespace
}  // namespace userdesk::crypto
