#include "http/router.h"

#include <algorithm>
#include <stdexcept>

#include "http/url.h"

namespace blogtrace::http {

namespace verb_ns = boost::beast::http;

namespace {

// Splits "/a/b" into {"a", "b"}; "/" into {""}.
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  path.remove_prefix(1);
  while (true) {
    std::size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

}  // namespace

void Router::Add(verb_ns::verb method, std::string pattern, Handler handler) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  Route route{method, pattern, {}, std::move(handler)};
  for (std::string_view part : SplitPath(pattern)) {
    if (!part.empty() && part.front() == '{') {
      if (part.size() < 3 || part.back() != '}') {
        throw std::invalid_argument("malformed parameter in route pattern: " + pattern);
      }
      route.segments.push_back({std::string(part.substr(1, part.size() - 2)), true});
    } else {
      if (part.find_first_of("{}") != std::string_view::npos) {
        throw std::invalid_argument("malformed parameter in route pattern: " + pattern);
      }
      route.segments.push_back({std::string(part), false});
    }
  }
  for (const Route& r : routes_) {
    if (r.method == method && r.pattern == pattern) {
      throw std::invalid_argument("duplicate route: " + pattern);
    }
  }
  routes_.push_back(std::move(route));
}

RouteMatch Router::Find(verb_ns::verb method, std::string_view path) const {
  RouteMatch result;
  if (path.empty() || path.front() != '/') return result;
  std::vector<std::string_view> parts = SplitPath(path);

  // A route's specificity: its segments read as literal (1) or parameter (0); the greatest
  // sequence wins, so "/users/verify" beats "/users/{id}" for "/users/verify".
  std::vector<bool> best_shape;
  const Route* best = nullptr;
  const Route* best_any_method = nullptr;
  std::vector<bool> best_any_shape;
  std::vector<verb_ns::verb> allowed;

  for (const Route& r : routes_) {
    if (r.segments.size() != parts.size()) continue;
    bool matches = true;
    std::vector<bool> shape;
    for (std::size_t i = 0; i < parts.size() && matches; ++i) {
      const Segment& s = r.segments[i];
      if (s.is_param) {
        matches = !parts[i].empty();
      } else {
        matches = s.text == parts[i];
      }
      shape.push_back(!s.is_param);
    }
    if (!matches) continue;
    allowed.push_back(r.method);
    bool method_ok =
        r.method == method || (method == verb_ns::verb::head && r.method == verb_ns::verb::get);
    if (method_ok && r.method != method) {
      // HEAD served by GET: only when no explicit HEAD route for this pattern exists.
      for (const Route& other : routes_) {
        if (other.method == verb_ns::verb::head && other.pattern == r.pattern) method_ok = false;
      }
    }
    if (method_ok && (best == nullptr || shape > best_shape)) {
      best = &r;
      best_shape = shape;
    }
    if (best_any_method == nullptr || shape > best_any_shape) {
      best_any_method = &r;
      best_any_shape = std::move(shape);
    }
  }

  if (best != nullptr) {
    Params params;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (!best->segments[i].is_param) continue;
      auto decoded = PercentDecode(parts[i], false);
      if (!decoded) return result;  // a bad escape names no resource
      params.emplace_back(best->segments[i].text, std::move(*decoded));
    }
    result.kind = RouteMatch::Kind::kFound;
    result.handler = &best->handler;
    result.route = best->pattern;
    result.params = std::move(params);
    return result;
  }
  if (best_any_method == nullptr) return result;

  result.kind = RouteMatch::Kind::kMethodNotAllowed;
  result.route = best_any_method->pattern;
  if (std::find(allowed.begin(), allowed.end(), verb_ns::verb::get) != allowed.end()) {
    allowed.push_back(verb_ns::verb::head);
  }
  std::vector<std::string_view> names;
  for (verb_ns::verb v : allowed) names.push_back(verb_ns::to_string(v));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  for (std::string_view n : names) {
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += n;
  }
  return result;
}

}  // namespace blogtrace::http
