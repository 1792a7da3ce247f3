#include "cli/serve.h"

#include <iostream>

#include "services/authen/main.h"
#include "services/author/main.h"
#include "services/blog/main.h"
#include "services/user/main.h"

#ifdef BLOGTRACE_HAVE_COLLECTOR
#include "collector/collector_main.h"
#endif

namespace blogtrace::cli {

int Serve(std::string_view name, const SystemConfig& config) {
  if (name == "user") return services::user::RunUserService(config);
  if (name == "authen") return services::authen::RunAuthenService(config);
  if (name == "author") return services::author::RunAuthorService(config);
  if (name == "blog") return services::blog::RunBlogService(config);
  if (name == "collector") {
#ifdef BLOGTRACE_HAVE_COLLECTOR
    return collector::Run(config);
#else
    std::cerr << "blogtrace: this build has no collector\n";
    return 1;
#endif
  }
  std::cerr << "blogtrace: unknown process '" << name
            << "' (expected user, authen, author, blog or collector)\n";
  return 2;
}

}  // namespace blogtrace::cli
