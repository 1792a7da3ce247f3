#include "store/id.h"

#include <gtest/gtest.h>

#include <set>

#include "store/model.h"
#include "store/username.h"

namespace blogtrace::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

TEST(NewId, IsACanonicalUuidVersion7WithTheTimeInFront) {
  const auto t = system_clock::time_point(milliseconds(0x0123456789ab));
  const std::string id = NewId(t);
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(id.substr(0, 13), "01234567-89ab");
  EXPECT_EQ(id[8], '-');
  EXPECT_EQ(id[13], '-');
  EXPECT_EQ(id[14], '7');  // version
  EXPECT_EQ(id[18], '-');
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);  // RFC 9562 variant
  EXPECT_EQ(id[23], '-');
  for (char c : id) {
    EXPECT_TRUE(c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }
}

TEST(NewId, LaterTimesSortLaterAndIdsAreUnique) {
  const auto t = system_clock::time_point(milliseconds(1795000000000));
  EXPECT_LT(NewId(t), NewId(t + milliseconds(1)));
  std::set<std::string> ids;
  for (int i = 0; i < 10000; ++i) {
    ids.insert(NewId(t));
  }
  EXPECT_EQ(ids.size(), 10000u);
}

TEST(Permission, RoundTripsTheContractNames) {
  EXPECT_EQ(PermissionName(Permission::kRead), "READ");
  EXPECT_EQ(PermissionName(Permission::kWrite), "WRITE");
  EXPECT_EQ(ParsePermission("READ"), Permission::kRead);
  EXPECT_EQ(ParsePermission("WRITE"), Permission::kWrite);
  EXPECT_FALSE(ParsePermission("read").has_value());
  EXPECT_FALSE(ParsePermission("ADMIN").has_value());
  EXPECT_FALSE(ParsePermission("").has_value());
}

TEST(UsernameKey, FoldsAsciiCaseOnly) {
  EXPECT_EQ(UsernameKey("Alice.Smith-_9"), "alice.smith-_9");
  EXPECT_EQ(UsernameKey("ÄLICE"), "\xC3\x84lice");  // non-ASCII bytes untouched
}

}  // namespace
}  // namespace blogtrace::store
