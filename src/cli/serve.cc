#include "cli/serve.h"

#include <iostream>

#include "services/authen/main.h"
#include "services/author/main.h"
#include "services/blog/main.h"
#include "services/user/main.h"

#include "collector/collector_main.h"

namespace blogtrace::cli {

int Serve(std::string_view name, const SystemConfig& config) {
  if (name == "user") return services::user::RunUserService(config);
  if (name == "authen") return services::authen::RunAuthenService(config);
  if (name == "author") return services::author::RunAuthorService(config);
  if (name == "blog") return services::blog::RunBlogService(config);
  if (name == "collector") {
    return collector::Run(config);
  }
  std::cerr << "blogtrace: unknown process '" << name
            << "' (expected user, authen, author, blog or collector)\n";
  return 2;
}

}  // namespace blogtrace::cli
