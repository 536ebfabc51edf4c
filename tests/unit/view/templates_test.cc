#include "view/templates.h"

#include <gtest/gtest.h>

#include "view/html_escape.h"

namespace userdesk::view {
namespace {

TEST(Templates, EscapesByDefault) {
  auto t = Templates::FromSources({{"page", "<p>{{name}}</p><a title=\"{{name}}\">x</a>"}});
  ASSERT_TRUE(t.ok());
  mustache::data d{mustache::data::type::object};
  d.set("name", "<script>alert('x')</script> & \"q\"");
  auto out = t->Render("page", d);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->find("<script>"), std::string::npos);
  EXPECT_NE(out->find("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;q&quot;"),
            std::string::npos);
}

TEST(Templates, PartialsAreAvailableEverywhere) {
  auto t = Templates::FromSources({{"page", "[{{> greet}}]"}, {"partials/greet", "hi {{who}}"}});
  ASSERT_TRUE(t.ok());
  mustache::data d{mustache::data::type::object};
  d.set("who", "<b>");
  EXPECT_EQ(*t->Render("page", d), "[hi &lt;b&gt;]");
}

TEST(Templates, MovedDataRendersAsCopiedData) {
  auto t = Templates::FromSources(
      {{"page", "{{title}}|{{#rows}}<{{term}}={{details}}>{{/rows}}|{{^none}}no{{/none}}"}});
  ASSERT_TRUE(t.ok());
  mustache::data copied{mustache::data::type::object};
  copied.set("title", "a & b");
  mustache::data copied_rows{mustache::data::type::list};
  mustache::data moved{mustache::data::type::object};
  Set(&moved, "title", Text("a & b"));
  mustache::list moved_rows;
  for (const char* term : {"x", "y"}) {
    mustache::data row{mustache::data::type::object};
    row.set("term", term);
    row.set("details", std::string(term) + "!");
    copied_rows.push_back(row);
    mustache::data moved_row{mustache::data::type::object};
    Set(&moved_row, "term", Text(term));
    Set(&moved_row, "details", Text(std::string(term) + "!"));
    moved_rows.push_back(std::move(moved_row));
  }
  copied.set("rows", copied_rows);
  Set(&moved, "rows", List(std::move(moved_rows)));
  Set(&moved, "title", Text("a & b"));  // replaces, as set() does
  EXPECT_EQ(*t->Render("page", copied), "a &amp; b|<x=x!><y=y!>|no");
  EXPECT_EQ(*t->Render("page", moved), *t->Render("page", copied));
}

// Indentation is not sent, and a line holding only a section or comment tag leaves no blank line
// (the mustache spec's standalone lines); text on a line with a tag keeps its line.
TEST(Templates, SendsNoIndentationAndNoLinesOfStandaloneTags) {
  auto t = Templates::FromSources(
      {{"page",
        "<ul>\n  {{! one item per row }}\n  {{#rows}}\n    <li>{{.}}</li>\n  {{/rows}}\n"
        "  {{^rows}}\n    <li>none</li>\n  {{/rows}}\n  <li>{{#a}}x{{/a}} end</li>\n"
        "  {{> item}}\n</ul>\n"},
       {"partials/item", "    <li>\n      partial\n    </li>\n"}});
  ASSERT_TRUE(t.ok());
  mustache::data d{mustache::data::type::object};
  mustache::data rows{mustache::data::type::list};
  rows.push_back("a");
  rows.push_back("b");
  d.set("rows", rows);
  d.set("a", true);
  EXPECT_EQ(*t->Render("page", d),
            "<ul>\n<li>a</li>\n<li>b</li>\n<li>x end</li>\n<li>\npartial\n</li>\n</ul>\n");
  d.set("rows", mustache::data{mustache::data::type::list});
  EXPECT_EQ(*t->Render("page", d),
            "<ul>\n<li>none</li>\n<li>x end</li>\n<li>\npartial\n</li>\n</ul>\n");
}

TEST(Templates, RendersAroundContentThatIsNeitherEscapedNorRendered) {
  auto t = Templates::FromSources(
      {{"layout",
        "<title>{{title}}</title>{{#a}}[{{/a}}{{{content}}}{{#a}}]{{/a}}<p>{{title}}</p>"},
       {"page", "<p>{{{content}}}</p>"}});
  ASSERT_TRUE(t.ok()) << t.error().detail;
  mustache::data d{mustache::data::type::object};
  d.set("title", "a<b");
  d.set("a", true);
  EXPECT_EQ(*t->RenderAround("layout", d, "<b>{{title}}</b>"),
            "<title>a&lt;b</title>[<b>{{title}}</b>]<p>a&lt;b</p>");
  d.set("content", "<i>");  // Render fills {{{content}}} from the data, as ever
  EXPECT_EQ(*t->Render("layout", d), "<title>a&lt;b</title>[<i>]<p>a&lt;b</p>");
  EXPECT_FALSE(t->RenderAround("nope", d, "x").ok());
}

TEST(Templates, ContentInsideASectionIsALoadError) {
  auto t = Templates::FromSources({{"layout", "{{#signed_in}}{{{content}}}{{/signed_in}}"}});
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().detail.find("outside any section"), std::string::npos);
}

TEST(Templates, MalformedTemplateStopsLoadingNamingFileAndProblem) {
  auto t = Templates::FromSources({{"home/index", "<p>{{#items}}open section</p>"}});
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().detail.find("home/index.mustache"), std::string::npos);
  EXPECT_NE(t.error().detail.find("Unclosed section"), std::string::npos);
}

TEST(Templates, UnknownTemplateIsAnError) {
  auto t = Templates::FromSources({{"page", "x"}});
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t->Render("nope", mustache::data{mustache::data::type::object}).ok());
}

TEST(Templates, LoadsTheShippedTemplates) {
  auto t = Templates::Load(USERDESK_SOURCE_DIR "/templates");
  ASSERT_TRUE(t.ok()) << t.error().detail;
  EXPECT_TRUE(t->Has("layout"));
  EXPECT_TRUE(t->Has("home/index"));
  EXPECT_TRUE(t->Has("errors/error"));
}

TEST(Templates, MissingDirectoryIsAnError) {
  EXPECT_FALSE(Templates::Load("/nonexistent/templates").ok());
}

}  // namespace
}  // namespace userdesk::view

namespace userdesk::view {
namespace {

TEST(Templates, MissingPartialIsALoadError) {
  auto t = Templates::FromSources({{"page", "{{> nothere}}"}});
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().detail.find("no partial named nothere"), std::string::npos);
}

TEST(Templates, PartialCycleIsALoadError) {
  auto t = Templates::FromSources({{"partials/a", "{{>b}}"}, {"partials/b", "{{>a}}"}});
  EXPECT_FALSE(t.ok());
}

}  // namespace
}  // namespace userdesk::view

namespace userdesk::view {
namespace {

TEST(HtmlEscape, MatchesTheTemplateEscaper) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">O'Neil & co</a>"),
            "&lt;a href=&quot;x&quot;&gt;O&apos;Neil &amp; co&lt;/a&gt;");
}

}  // namespace
}  // namespace userdesk::view
