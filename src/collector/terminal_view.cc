#include "collector/terminal_view.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>

#include "collector/blocking_client.h"
#include "http/url.h"

namespace blogtrace::collector {
namespace {

using nlohmann::json;

constexpr int kBarWidth = 40;

// "2026-01-01 00:00:01.000" (UTC) from microseconds since the epoch.
std::string FormatTime(std::int64_t micros) {
  std::time_t secs = static_cast<std::time_t>(micros / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[80];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d:%02d.%03d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>((micros / 1000) % 1000));
  return buf;
}

std::int64_t Int(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<std::int64_t>() : 0;
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The value of tag `key` as text, or empty.
std::string TagText(const json& span, std::string_view key) {
  auto tags = span.find("tags");
  if (tags == span.end() || !tags->is_array()) return {};
  for (const auto& t : *tags) {
    if (t.value("key", "") == key) {
      const json& v = t["value"];
      return v.is_string() ? v.get<std::string>() : v.dump();
    }
  }
  return {};
}

bool IsError(const json& span) { return TagText(span, "error") == "true"; }

std::string ParentId(const json& span) {
  auto refs = span.find("references");
  if (refs == span.end() || !refs->is_array()) return {};
  for (const auto& r : *refs) {
    if (r.value("refType", "") == "CHILD_OF") return r.value("spanID", "");
  }
  return {};
}

std::string ServiceOf(const json& trace, const json& span) {
  const json& processes = trace.contains("processes") ? trace["processes"] : json::object();
  std::string pid = Str(span, "processID");
  if (processes.contains(pid)) return Str(processes[pid], "serviceName");
  return "?";
}

struct Summary {
  std::string id, root_service, root_operation;
  std::int64_t spans = 0, start = 0, duration = 0, errors = 0;
};

Summary Summarize(const json& trace) {
  Summary s;
  s.id = Str(trace, "traceID");
  const json& spans = trace.contains("spans") ? trace["spans"] : json::array();
  std::set<std::string> ids;
  for (const auto& span : spans) ids.insert(Str(span, "spanID"));
  std::int64_t start = INT64_MAX, end = 0;
  const json* root = nullptr;
  for (const auto& span : spans) {
    std::int64_t st = Int(span, "startTime");
    start = std::min(start, st);
    end = std::max(end, st + Int(span, "duration"));
    s.errors += IsError(span);
    std::string parent = ParentId(span);
    bool is_root = parent.empty() || !ids.count(parent);
    if (is_root && (!root || st < Int(*root, "startTime"))) root = &span;
  }
  s.spans = static_cast<std::int64_t>(spans.size());
  if (root) {
    s.root_service = ServiceOf(trace, *root);
    s.root_operation = Str(*root, "operationName");
  }
  s.start = spans.empty() ? 0 : start;
  s.duration = spans.empty() ? 0 : end - start;
  return s;
}

std::string Pad(std::string s, std::size_t width) {
  if (s.size() > width) {
    s.resize(width - 1);
    s += '~';
  }
  s.resize(width, ' ');
  return s;
}

std::string PadLeft(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

}  // namespace

std::string FormatDurationMicros(std::int64_t micros) {
  char buf[32];
  if (micros < 1000) {
    std::snprintf(buf, sizeof(buf), "%lldus", static_cast<long long>(micros));
  } else if (micros < 1000000) {
    std::snprintf(buf, sizeof(buf), "%.2fms", static_cast<double>(micros) / 1e3);
  } else {
    std::snprintf(buf, sizeof(buf), "%.2fs", static_cast<double>(micros) / 1e6);
  }
  return buf;
}

std::string TraceSearchTarget(const TraceSearch& search) {
  std::string target = "/api/traces?limit=" + std::to_string(search.limit);
  auto add = [&](std::string_view name, std::string_view value) {
    if (value.empty()) return;
    target += '&';
    target += name;
    target += '=';
    target += http::PercentEncode(value);
  };
  add("service", search.service);
  add("operation", search.operation);
  for (const auto& tag : search.tags) add("tag", tag);
  add("minDuration", search.min_duration);
  add("maxDuration", search.max_duration);
  add("lookback", search.lookback);
  return target;
}

std::string FormatTraceList(const json& response) {
  const json& data =
      response.contains("data") && response["data"].is_array() ? response["data"] : json::array();
  if (data.empty()) return "No traces found.\n";
  std::vector<Summary> rows;
  for (const auto& trace : data) rows.push_back(Summarize(trace));
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Summary& a, const Summary& b) { return a.start > b.start; });
  std::string out = Pad("TRACE ID", 34) + Pad("ROOT", 40) + PadLeft("SPANS", 6) +
                    PadLeft("DURATION", 11) + "  " + Pad("START (UTC)", 24) + "ERRORS\n";
  for (const auto& r : rows) {
    out += Pad(r.id, 34) + Pad(r.root_service + ": " + r.root_operation, 40) +
           PadLeft(std::to_string(r.spans), 6) + PadLeft(FormatDurationMicros(r.duration), 11) +
           "  " + Pad(FormatTime(r.start), 24) + (r.errors ? std::to_string(r.errors) : "-") + "\n";
  }
  out += std::to_string(rows.size()) + (rows.size() == 1 ? " trace\n" : " traces\n");
  return out;
}

std::string FormatTraceWaterfall(const json& trace) {
  const json& spans = trace.contains("spans") ? trace["spans"] : json::array();
  Summary summary = Summarize(trace);
  std::set<std::string> services;
  for (const auto& span : spans) services.insert(ServiceOf(trace, span));
  std::string out =
      "Trace " + summary.id + "\n" + std::to_string(summary.spans) + " spans, " +
      std::to_string(services.size()) + " services, " + FormatDurationMicros(summary.duration) +
      ", started " + FormatTime(summary.start) + " UTC" +
      (summary.errors ? ", " + std::to_string(summary.errors) + " with errors" : "") + "\n\n";
  // Children by parent, each list in start order; spans whose parent is absent are roots.
  std::set<std::string> ids;
  for (const auto& span : spans) ids.insert(Str(span, "spanID"));
  std::map<std::string, std::vector<const json*>> children;
  std::vector<const json*> roots;
  for (const auto& span : spans) {
    std::string parent = ParentId(span);
    if (parent.empty() || !ids.count(parent)) {
      roots.push_back(&span);
    } else {
      children[parent].push_back(&span);
    }
  }
  auto by_start = [](const json* a, const json* b) {
    return Int(*a, "startTime") < Int(*b, "startTime");
  };
  std::stable_sort(roots.begin(), roots.end(), by_start);
  for (auto& [id, list] : children) std::stable_sort(list.begin(), list.end(), by_start);
  const double total = static_cast<double>(std::max<std::int64_t>(summary.duration, 1));
  std::set<const json*> printed;  // guards against reference cycles in bad data
  std::function<void(const json*, int)> print = [&](const json* span, int depth) {
    if (!printed.insert(span).second) return;
    std::int64_t offset = Int(*span, "startTime") - summary.start;
    std::int64_t duration = Int(*span, "duration");
    int from = static_cast<int>(static_cast<double>(offset) / total * kBarWidth);
    int width = std::max(1, static_cast<int>(static_cast<double>(duration) / total * kBarWidth));
    from = std::clamp(from, 0, kBarWidth - 1);
    width = std::min(width, kBarWidth - from);
    std::string bar = std::string(from, ' ') + std::string(width, '#') +
                      std::string(kBarWidth - from - width, ' ');
    std::string label =
        std::string(2 * depth, ' ') + ServiceOf(trace, *span) + " " + Str(*span, "operationName");
    out += Pad(label, 50) + PadLeft(FormatDurationMicros(duration), 10) + " |" + bar + "|";
    if (IsError(*span)) {
      std::string description = TagText(*span, "otel.status_description");
      out += " ! ERROR" + (description.empty() ? "" : ": " + description);
    }
    out += "\n";
    if (auto it = children.find(Str(*span, "spanID")); it != children.end()) {
      for (const json* child : it->second) print(child, depth + 1);
    }
  };
  for (const json* root : roots) print(root, 0);
  return out;
}

int ListTracesCommand(const HostPort& query_addr, const TraceSearch& filters, std::ostream& out) {
  auto res = GetBlocking(query_addr, TraceSearchTarget(filters));
  if (!res) {
    out << "error: " << res.error().message << "\n";
    return 1;
  }
  json body = json::parse(res->body(), nullptr, false);
  if (res->result_int() != 200 || body.is_discarded()) {
    std::string message = "HTTP " + std::to_string(res->result_int());
    if (!body.is_discarded() && body.contains("errors") && body["errors"].is_array() &&
        !body["errors"].empty()) {
      message += ": " + body["errors"][0].value("msg", "");
    }
    out << "error: " << message << "\n";
    return 1;
  }
  out << FormatTraceList(body);
  return 0;
}

int ShowTraceCommand(const HostPort& query_addr, std::string_view trace_id, std::ostream& out) {
  std::string id;
  for (char c : trace_id) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      out << "error: a trace id is 1-32 hex digits, got '" << trace_id << "'\n";
      return 1;
    }
    id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (id.empty() || id.size() > 32) {
    out << "error: a trace id is 1-32 hex digits, got '" << trace_id << "'\n";
    return 1;
  }
  auto res = GetBlocking(query_addr, "/api/traces/" + id);
  if (!res) {
    out << "error: " << res.error().message << "\n";
    return 1;
  }
  if (res->result_int() == 404) {
    out << "trace " << id << " not found\n";
    return 1;
  }
  json body = json::parse(res->body(), nullptr, false);
  if (res->result_int() != 200 || body.is_discarded() || !body.contains("data") ||
      !body["data"].is_array() || body["data"].empty()) {
    out << "error: HTTP " << res->result_int() << " from the query API\n";
    return 1;
  }
  out << FormatTraceWaterfall(body["data"][0]);
  return 0;
}

}  // namespace blogtrace::collector
