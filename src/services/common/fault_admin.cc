#include "services/common/fault_admin.h"

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "http/response.h"
#include "services/common/handler_util.h"

namespace blogtrace::services {
namespace {

namespace bhttp = boost::beast::http;

http::Response InForce(const faults::FaultInjector& injector) {
  return http::JsonResponse(200, {{"faults", faults::FormatFaultRules(injector.Rules())}});
}

}  // namespace

void RegisterFaultAdmin(http::Router& router, faults::FaultInjector& injector,
                        std::string admin_key) {
  auto key = std::make_shared<const std::string>(std::move(admin_key));
  router.Add(bhttp::verb::get, "/admin/faults",
             [&injector, key](const http::Request& req,
                              http::RequestContext& ctx) -> boost::asio::awaitable<http::Response> {
               if (!HeaderSecretMatches(req, "X-Admin-Key", *key)) {
                 co_return Refuse(ctx, Error::Unauthorized("missing or wrong X-Admin-Key"));
               }
               co_return InForce(injector);
             });
  router.Add(bhttp::verb::put, "/admin/faults",
             [&injector, key](const http::Request& req,
                              http::RequestContext& ctx) -> boost::asio::awaitable<http::Response> {
               if (!HeaderSecretMatches(req, "X-Admin-Key", *key)) {
                 co_return Refuse(ctx, Error::Unauthorized("missing or wrong X-Admin-Key"));
               }
               auto body = http::ParseJsonBody(req);
               if (!body) co_return Refuse(ctx, body.error());
               auto field = body->find("faults");
               if (field == body->end() || !field->is_string()) {
                 co_return RefuseInvalid(ctx, {"faults", "must be a string of fault rules"});
               }
               auto rules = faults::ParseFaultRules(field->get<std::string>());
               if (!rules) co_return RefuseInvalid(ctx, {"faults", rules.error().message});
               injector.Replace(std::move(*rules));
               std::string now = faults::FormatFaultRules(injector.Rules());
               Logger::Bg().Info("fault rules replaced", {{"faults", now}});
               co_return http::JsonResponse(200, {{"faults", now}});
             });
  router.Add(bhttp::verb::delete_, "/admin/faults",
             [&injector, key](const http::Request& req,
                              http::RequestContext& ctx) -> boost::asio::awaitable<http::Response> {
               if (!HeaderSecretMatches(req, "X-Admin-Key", *key)) {
                 co_return Refuse(ctx, Error::Unauthorized("missing or wrong X-Admin-Key"));
               }
               injector.Replace({});
               Logger::Bg().Info("fault rules cleared");
               co_return InForce(injector);
             });
}

}  // namespace blogtrace::services
