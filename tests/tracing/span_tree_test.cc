// The span-tree matcher: exact trees match, and every kind of difference (missing, extra,
// misplaced, wrong name/kind/service, wrong remote parent) is reported with both trees.
#include "span_tree.h"

#include <gtest/gtest.h>

namespace blogtrace::tracing_test {
namespace {

ReceivedSpan MakeSpan(std::string service, std::string name, Kind kind, std::string id,
                      std::string parent) {
  ReceivedSpan span;
  span.service = std::move(service);
  span.trace_id = "0af7651916cd43dd8448eb211c80319c";
  span.span_id = std::move(id);
  span.parent_span_id = std::move(parent);
  span.proto.set_name(name);
  span.proto.set_kind(kind);
  return span;
}

const ExpectedSpan kBlogTree{
    "blog",
    "GET /blogs",
    kServer,
    {{"blog",
      "POST /authorize",
      kClient,
      {{"author", "POST /authorize", kServer, {{"author", "jwt.verify", kInternal, {}}}}}},
     {"blog", "SELECT blogs", kClient, {}}}};

std::vector<ReceivedSpan> BlogSpans() {
  // Deliberately not in tree order: children usually arrive before their parents.
  return {MakeSpan("author", "jwt.verify", kInternal, "04", "03"),
          MakeSpan("blog", "SELECT blogs", kClient, "05", "01"),
          MakeSpan("author", "POST /authorize", kServer, "03", "02"),
          MakeSpan("blog", "POST /authorize", kClient, "02", "01"),
          MakeSpan("blog", "GET /blogs", kServer, "01", "")};
}

TEST(SpanTreeMatcherTest, MatchesExactTreeInAnyArrivalOrder) {
  TreeMatch match = MatchTree(kBlogTree, BlogSpans());
  EXPECT_TRUE(match.ok) << match.message;
}

TEST(SpanTreeMatcherTest, ReportsMissingSpanWithBothTrees) {
  std::vector<ReceivedSpan> spans = BlogSpans();
  spans.erase(spans.begin());  // no jwt.verify
  TreeMatch match = MatchTree(kBlogTree, spans);
  EXPECT_FALSE(match.ok);
  EXPECT_NE(match.message.find("expected:\n"), std::string::npos) << match.message;
  EXPECT_NE(match.message.find("      author INTERNAL \"jwt.verify\""), std::string::npos)
      << match.message;
  EXPECT_NE(match.message.find("received:\n"), std::string::npos) << match.message;
  EXPECT_NE(match.message.find("    author SERVER \"POST /authorize\""), std::string::npos)
      << match.message;
}

TEST(SpanTreeMatcherTest, RejectsExtraSpan) {
  std::vector<ReceivedSpan> spans = BlogSpans();
  spans.push_back(MakeSpan("blog", "SELECT blogs", kClient, "06", "01"));
  EXPECT_FALSE(MatchTree(kBlogTree, spans).ok);
}

TEST(SpanTreeMatcherTest, RepeatedNodeAcceptsOneOrMoreSiblings) {
  ExpectedSpan tree = kBlogTree;
  tree.children[1].repeated = true;
  std::vector<ReceivedSpan> spans = BlogSpans();
  EXPECT_TRUE(MatchTree(tree, spans).ok);
  spans.push_back(MakeSpan("blog", "SELECT blogs", kClient, "06", "01"));
  EXPECT_TRUE(MatchTree(tree, spans).ok);
  spans.erase(spans.begin() + 1);
  spans.pop_back();  // no SELECT at all
  EXPECT_FALSE(MatchTree(tree, spans).ok);
}

TEST(SpanTreeMatcherTest, RejectsSpanUnderWrongParent) {
  std::vector<ReceivedSpan> spans = BlogSpans();
  spans[1].parent_span_id = "03";  // SELECT under the author SERVER span
  EXPECT_FALSE(MatchTree(kBlogTree, spans).ok);
}

TEST(SpanTreeMatcherTest, RejectsWrongKindNameOrService) {
  for (int which = 0; which < 3; ++which) {
    std::vector<ReceivedSpan> spans = BlogSpans();
    if (which == 0) spans[0].proto.set_kind(kClient);
    if (which == 1) spans[0].proto.set_name("jwt.Verify");
    if (which == 2) spans[0].service = "blog";
    EXPECT_FALSE(MatchTree(kBlogTree, spans).ok) << which;
  }
}

TEST(SpanTreeMatcherTest, OrphanIsASecondRoot) {
  std::vector<ReceivedSpan> spans = BlogSpans();
  spans[0].parent_span_id = "99";
  TreeMatch match = MatchTree(kBlogTree, spans);
  EXPECT_FALSE(match.ok);
  EXPECT_NE(match.message.find("parent 99 not received"), std::string::npos) << match.message;
}

TEST(SpanTreeMatcherTest, RootParentMustBeTheCallersSpan) {
  std::vector<ReceivedSpan> spans = BlogSpans();
  spans[4].parent_span_id = "b7ad6b7169203331";
  EXPECT_FALSE(MatchTree(kBlogTree, spans).ok);  // a parent where none is expected
  EXPECT_TRUE(MatchTree(kBlogTree, spans, "b7ad6b7169203331").ok);
  EXPECT_FALSE(MatchTree(kBlogTree, spans, "b7ad6b7169203332").ok);
}

TEST(SpanTreeMatcherTest, EmptyTraceIsReported) {
  TreeMatch match = MatchTree(kBlogTree, {});
  EXPECT_FALSE(match.ok);
  EXPECT_NE(match.message.find("(no spans)"), std::string::npos);
}

TEST(SpanTreeMatcherTest, FindSpanByServiceAndName) {
  std::vector<ReceivedSpan> spans = BlogSpans();
  ASSERT_NE(FindSpan(spans, "blog", "POST /authorize"), nullptr);
  EXPECT_EQ(FindSpan(spans, "blog", "POST /authorize")->span_id, "02");
  EXPECT_EQ(FindSpan(spans, "author", "POST /authorize")->span_id, "03");
  EXPECT_EQ(FindSpan(spans, "user", "POST /authorize"), nullptr);
  EXPECT_EQ(FindSpans(spans, "blog", "SELECT blogs").size(), 1u);
}

}  // namespace
}  // namespace blogtrace::tracing_test
