#include "cli/walkthrough.h"

namespace blogtrace::cli {
namespace {

std::string Url(const HostPort& address) { return "http://" + address.ToString(); }

}  // namespace

std::string SystemSummary(const SystemConfig& config) {
  std::string s;
  s += "blogtrace is up:\n";
  s += "  user service       " + Url(config.user_addr) + "\n";
  s += "  authen service     " + Url(config.authen_addr) + "\n";
  s += "  author service     " + Url(config.author_addr) + "\n";
  s += "  blog service       " + Url(config.blog_addr) + "\n";
  s += "  OTLP receiver      " + Url(config.collector_addr) + "/v1/traces\n";
  s += "  trace viewer       " + Url(config.query_addr) + "/  (Jaeger query API under /api)\n";
  s += "  data directory     " + config.data_dir + "\n";
  if (config.admin_key) {
    s += "  admin key          from ADMIN_KEY\n";
  } else {
    s += "  admin key file     " + config.data_dir + "/admin.key\n";
  }
  return s;
}

std::string CurlWalkthrough(const SystemConfig& config) {
  const std::string users = Url(config.user_addr);
  const std::string authen = Url(config.authen_addr);
  const std::string blogs = Url(config.blog_addr);
  const std::string json = "-H 'Content-Type: application/json'";
  std::string s;
  s += "Try it (paste into bash):\n\n";
  if (!config.admin_key) s += "  ADMIN_KEY=$(cat '" + config.data_dir + "/admin.key')\n";
  s += "  # an administrator creates a READ user and a WRITE user (409 if they exist already)\n";
  s += "  curl -s -X POST " + users + "/users -H \"X-Admin-Key: $ADMIN_KEY\" " + json +
       " -d '{\"username\":\"reader\",\"password\":\"reader-password\",\"permission\":\"READ\"}'; "
       "echo\n";
  s += "  curl -s -X POST " + users + "/users -H \"X-Admin-Key: $ADMIN_KEY\" " + json +
       " -d '{\"username\":\"writer\",\"password\":\"writer-password\",\"permission\":\"WRITE\"}'; "
       "echo\n";
  s += "  # both log in and keep their tokens\n";
  for (std::string who : {"reader", "writer"}) {
    std::string var = who == "reader" ? "READ_TOKEN" : "WRITE_TOKEN";
    s += "  " + var + "=$(curl -s -X POST " + authen + "/login " + json + " -d '{\"username\":\"" +
         who + "\",\"password\":\"" + who +
         "-password\"}' | sed -E 's/.*\"token\":\"([^\"]+)\".*/\\1/')\n";
  }
  s += "  # the writer creates a blog; the reader lists and reads it\n";
  s += "  BLOG_ID=$(curl -s -X POST " + blogs +
       "/blogs -H \"Authorization: Bearer $WRITE_TOKEN\" " + json +
       " -d '{\"title\":\"Hello\",\"content\":\"My first traced post\"}'" +
       " | sed -E 's/.*\"id\":\"([^\"]+)\".*/\\1/'); echo \"$BLOG_ID\"\n";
  s += "  curl -s '" + blogs +
       "/blogs?limit=20&offset=0' -H \"Authorization: Bearer $READ_TOKEN\"; "
       "echo\n";
  s += "  curl -s " + blogs + "/blogs/$BLOG_ID -H \"Authorization: Bearer $READ_TOKEN\"; echo\n";
  s += "  # refusals: anonymous (401), a READ user writing (403)\n";
  s += "  curl -s -o /dev/null -w '%{http_code}\\n' " + blogs + "/blogs\n";
  s += "  curl -s -o /dev/null -w '%{http_code}\\n' -X POST " + blogs +
       "/blogs -H \"Authorization: Bearer $READ_TOKEN\" " + json +
       " -d '{\"title\":\"t\",\"content\":\"c\"}'\n";
  s += "  # every response names its trace; open it in the viewer\n";
  s += "  curl -s -D - -o /dev/null " + blogs +
       "/blogs -H \"Authorization: Bearer $READ_TOKEN\" | grep -i traceresponse\n";
  s += "  # then: " + Url(config.query_addr) + "/  or  blogtrace traces --service blog\n";
  return s;
}

}  // namespace blogtrace::cli
