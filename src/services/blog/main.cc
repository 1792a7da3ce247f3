#include "services/blog/main.h"

#include <boost/asio/thread_pool.hpp>

#include "services/author/client.h"
#include "services/blog/server.h"
#include "services/common/process.h"
#include "store/open_store.h"

namespace blogtrace::services::blog {

int RunBlogService(const SystemConfig& config) {
  ServiceProcess process("blog", config);
  auto store = store::OpenStore({config.store, config.data_dir + "/blogs.db", config.mongodb_uri},
                                process.tracer());
  if (!store) return process.Fail("cannot open the blog store", store.error());
  auto blogs = process.WithFaults(std::move(*store));

  http::Client author_http(process.UpstreamOptions(config.author_addr, "author service", "author"),
                           process.ClientTracing());
  author::HttpAuthorClient authors(author_http, config.author_addr.ToString());
  boost::asio::thread_pool blocking(2);
  BlogServer server(authors, blogs->blogs(), blocking);
  http::Router router;
  server.Register(router);
  int code = process.Serve(config.blog_addr, std::move(router));
  blocking.join();
  return code;
}

}  // namespace blogtrace::services::blog
