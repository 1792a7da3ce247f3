// Router: maps (method, path) to a handler. Matching is a pure function of the table and the
// request line, so it is tested without sockets.
//
// Patterns are absolute paths whose segments are literals or `{name}` parameters
// ("/users/{id}"). A literal segment beats a parameter at the same position. HEAD is served by
// the GET handler when no HEAD route exists.
// Thread safety: Add() before the server starts; Find() is const and safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http/verb.hpp>

#include "http/handler.h"
#include "http/request_context.h"

namespace blogtrace::http {

// The outcome of matching one request.
struct RouteMatch {
  enum class Kind { kFound, kNotFound, kMethodNotAllowed };
  Kind kind = Kind::kNotFound;
  // The handler when kFound; points into the router, valid while it lives.
  const Handler* handler = nullptr;
  // The matched route template (set for kFound and kMethodNotAllowed).
  std::string route;
  // Percent-decoded path parameters (kFound).
  Params params;
  // The methods the path accepts, "GET, HEAD, POST" (kMethodNotAllowed).
  std::string allow;
};

// A table of routes.
class Router {
 public:
  // Registers `handler` for `method` on `pattern`. Throws std::invalid_argument on a malformed
  // pattern (not starting with '/', empty or unclosed `{}`) or a duplicate (method, pattern).
  void Add(boost::beast::http::verb method, std::string pattern, Handler handler);

  // Matches `path` (the request target without the query, not yet percent-decoded).
  RouteMatch Find(boost::beast::http::verb method, std::string_view path) const;

 private:
  struct Segment {
    std::string text;  // literal text, or the parameter name
    bool is_param = false;
  };
  struct Route {
    boost::beast::http::verb method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace blogtrace::http
