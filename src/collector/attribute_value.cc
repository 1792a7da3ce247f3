#include "collector/attribute_value.h"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "collector/hex.h"

namespace blogtrace::collector {
namespace {

nlohmann::json ToJson(const otlp_common::AnyValue& value) {
  using V = otlp_common::AnyValue;
  switch (value.value_case()) {
    case V::kStringValue:
      return value.string_value();
    case V::kBoolValue:
      return value.bool_value();
    case V::kIntValue:
      return value.int_value();
    case V::kDoubleValue:
      return std::isfinite(value.double_value()) ? nlohmann::json(value.double_value())
                                                 : nlohmann::json(AnyValueToString(value));
    case V::kBytesValue:
      return Base64Encode(value.bytes_value());
    case V::kArrayValue: {
      auto arr = nlohmann::json::array();
      for (const auto& v : value.array_value().values()) arr.push_back(ToJson(v));
      return arr;
    }
    case V::kKvlistValue: {
      auto obj = nlohmann::json::object();
      for (const auto& kv : value.kvlist_value().values()) obj[kv.key()] = ToJson(kv.value());
      return obj;
    }
    default:
      return nullptr;
  }
}

}  // namespace

std::string AnyValueToString(const otlp_common::AnyValue& value) {
  using V = otlp_common::AnyValue;
  switch (value.value_case()) {
    case V::kStringValue:
      return value.string_value();
    case V::kBoolValue:
      return value.bool_value() ? "true" : "false";
    case V::kIntValue:
      return std::to_string(value.int_value());
    case V::kDoubleValue: {
      double d = value.double_value();
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
      char buf[32];
      auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), d);
      return std::string(buf, ptr);
    }
    case V::kBytesValue:
      return Base64Encode(value.bytes_value());
    case V::kArrayValue:
    case V::kKvlistValue:
      return ToJson(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    default:
      return {};
  }
}

std::string ServiceName(const google::protobuf::RepeatedPtrField<otlp_common::KeyValue>& attrs) {
  for (const auto& kv : attrs) {
    if (kv.key() == "service.name" && kv.value().has_string_value() &&
        !kv.value().string_value().empty()) {
      return kv.value().string_value();
    }
  }
  return "unknown_service";
}

}  // namespace blogtrace::collector
