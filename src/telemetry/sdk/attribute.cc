#include "telemetry/sdk/attribute.h"

#include <cstdio>

namespace blogtrace::telemetry::sdk {
namespace {

std::string_view Truncate(std::string_view s, std::size_t max_length) {
  if (s.size() <= max_length) return s;
  std::size_t n = max_length;
  // Back off continuation bytes (10xxxxxx) so a multi-byte character is not split.
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

template <typename T>
T& Ensure(OwnedValue& out) {
  if (!std::holds_alternative<T>(out)) out.emplace<T>();
  return std::get<T>(out);
}

}  // namespace

void AssignValue(OwnedValue& out, const AttributeValue& value, std::size_t max_length) {
  std::visit(
      [&](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, bool> || std::is_same_v<V, std::int64_t> ||
                      std::is_same_v<V, double>) {
          out = v;
        } else if constexpr (std::is_same_v<V, std::string_view>) {
          Ensure<std::string>(out).assign(Truncate(v, max_length));
        } else if constexpr (std::is_same_v<V, std::span<const bool>>) {
          Ensure<std::vector<bool>>(out).assign(v.begin(), v.end());
        } else if constexpr (std::is_same_v<V, std::span<const std::int64_t>>) {
          Ensure<std::vector<std::int64_t>>(out).assign(v.begin(), v.end());
        } else if constexpr (std::is_same_v<V, std::span<const double>>) {
          Ensure<std::vector<double>>(out).assign(v.begin(), v.end());
        } else if constexpr (std::is_same_v<V, std::span<const std::string_view>> ||
                             std::is_same_v<V, std::span<const std::string>>) {
          auto& vec = Ensure<std::vector<std::string>>(out);
          vec.resize(v.size());
          for (std::size_t i = 0; i < v.size(); ++i)
            vec[i].assign(Truncate(std::string_view(v[i]), max_length));
        } else if constexpr (std::is_same_v<V, Bytes>) {
          Ensure<OwnedBytes>(out).data.assign(reinterpret_cast<const char*>(v.data.data()),
                                              v.data.size());
        }
      },
      value.variant());
}

void SetAttribute(Attributes& attrs, std::string_view key, const AttributeValue& value,
                  std::size_t max_count, std::size_t max_length, std::uint32_t& dropped) {
  for (auto& a : attrs) {
    if (a.key == key) {
      AssignValue(a.value, value, max_length);
      return;
    }
  }
  if (attrs.size() >= max_count) {
    ++dropped;
    return;
  }
  Attribute& a = attrs.EmplaceBack();
  a.key.assign(key);
  AssignValue(a.value, value, max_length);
}

std::string ToString(const OwnedValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<V, std::int64_t>) {
          return std::to_string(v);
        } else if constexpr (std::is_same_v<V, double>) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%g", v);
          return buf;
        } else if constexpr (std::is_same_v<V, std::string>) {
          return "\"" + v + "\"";
        } else if constexpr (std::is_same_v<V, OwnedBytes>) {
          return "<" + std::to_string(v.data.size()) + " bytes>";
        } else {
          std::string out = "[";
          for (std::size_t i = 0; i < v.size(); ++i) {
            if (i) out += ", ";
            if constexpr (std::is_same_v<V, std::vector<std::string>>)
              out += "\"" + v[i] + "\"";
            else if constexpr (std::is_same_v<V, std::vector<bool>>)
              out += v[i] ? "true" : "false";
            else
              out += ToString(OwnedValue(v[i]));
          }
          return out + "]";
        }
      },
      value);
}

}  // namespace blogtrace::telemetry::sdk
