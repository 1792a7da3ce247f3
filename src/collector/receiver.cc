#include "collector/receiver.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "collector/otlp_decode.h"
#include "collector/span_batch.h"
#include "http/response.h"

namespace blogtrace::collector {
namespace {

namespace bhttp = boost::beast::http;

enum class Encoding { kProtobuf, kJson };

constexpr char kProtobufType[] = "application/x-protobuf";
constexpr char kJsonType[] = "application/json";

// google.rpc.Code values used in Status bodies.
constexpr int kInvalidArgument = 3;
constexpr int kResourceExhausted = 8;
constexpr int kUnavailable = 14;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The media type without parameters, lower-cased and trimmed.
std::string MediaType(std::string_view content_type) {
  content_type = content_type.substr(0, content_type.find(';'));
  while (!content_type.empty() && content_type.back() == ' ') content_type.remove_suffix(1);
  while (!content_type.empty() && content_type.front() == ' ') content_type.remove_prefix(1);
  return Lower(content_type);
}

void AppendVarint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

// A google.rpc.Status {code = 1, message = 2} in the request's encoding.
http::Response StatusResponse(unsigned status, Encoding encoding, int code,
                              const std::string& message) {
  http::Response res{static_cast<bhttp::status>(status), 11};
  if (encoding == Encoding::kProtobuf) {
    std::string body;
    body += '\x08';
    AppendVarint(body, static_cast<std::uint64_t>(code));
    body += '\x12';
    AppendVarint(body, message.size());
    body += message;
    res.set(bhttp::field::content_type, kProtobufType);
    res.body() = std::move(body);
  } else {
    res.set(bhttp::field::content_type, kJsonType);
    res.body() = nlohmann::json{{"code", code}, {"message", message}}.dump(
        -1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  res.prepare_payload();
  return res;
}

http::Response Success(Encoding encoding, std::int64_t rejected, const std::string& message) {
  http::Response res{bhttp::status::ok, 11};
  if (encoding == Encoding::kProtobuf) {
    otlp_collector::ExportTraceServiceResponse out;
    if (rejected > 0) {
      out.mutable_partial_success()->set_rejected_spans(rejected);
      out.mutable_partial_success()->set_error_message(message);
    }
    res.set(bhttp::field::content_type, kProtobufType);
    res.body() = out.SerializeAsString();
  } else {
    nlohmann::json out = nlohmann::json::object();
    if (rejected > 0) {
      // Proto3 JSON: int64 as a decimal string.
      out["partialSuccess"] = {{"rejectedSpans", std::to_string(rejected)},
                               {"errorMessage", message}};
    }
    res.set(bhttp::field::content_type, kJsonType);
    res.body() = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  res.prepare_payload();
  return res;
}

}  // namespace

http::Response HandleExport(const http::Request& request, SpanStore& store,
                            const ReceiverOptions& options) {
  std::string type = MediaType(request[bhttp::field::content_type]);
  Encoding encoding;
  if (type == kProtobufType) {
    encoding = Encoding::kProtobuf;
  } else if (type == kJsonType) {
    encoding = Encoding::kJson;
  } else {
    return http::ErrorResponse({ErrorCode::kUnsupportedMediaType,
                                "Content-Type must be application/x-protobuf or application/json"});
  }
  std::string content_encoding = Lower(request[bhttp::field::content_encoding]);
  std::string inflated;
  std::string_view body = request.body();
  if (content_encoding == "gzip") {
    auto out = Gunzip(body, options.max_body_bytes);
    if (!out) {
      bool too_large = out.error().code == ErrorCode::kPayloadTooLarge;
      return StatusResponse(too_large ? 413 : 400, encoding,
                            too_large ? kResourceExhausted : kInvalidArgument, out.error().message);
    }
    inflated = std::move(*out);
    body = inflated;
  } else if (!content_encoding.empty() && content_encoding != "identity") {
    return http::ErrorResponse(
        {ErrorCode::kUnsupportedMediaType, "Content-Encoding must be gzip or identity"});
  }
  if (body.size() > options.max_body_bytes) {
    return StatusResponse(
        413, encoding, kResourceExhausted,
        "request body exceeds " + std::to_string(options.max_body_bytes) + " bytes");
  }
  auto busy = [&] {
    http::Response res =
        StatusResponse(503, encoding, kUnavailable, "the span store is busy; retry later");
    res.set(bhttp::field::retry_after, std::to_string(options.retry_after_seconds));
    return res;
  };
  // An overloaded store refuses before any decoding work is spent on the body.
  if (store.QueueFull()) return busy();
  // Protobuf bodies are read straight from the wire format (spans keep their received bytes);
  // JSON is parsed into the message first.
  ExtractResult extracted;
  if (encoding == Encoding::kProtobuf) {
    // The batch keeps the body: an inflated one moves in, a received one is copied once.
    auto out = ExtractSpansFromProtobuf(content_encoding == "gzip" ? std::move(inflated)
                                                                   : std::string(body));
    if (!out) {
      bool too_large = out.error().code == ErrorCode::kPayloadTooLarge;
      return StatusResponse(too_large ? 413 : 400, encoding,
                            too_large ? kResourceExhausted : kInvalidArgument, out.error().message);
    }
    extracted = std::move(*out);
  } else {
    google::protobuf::Arena arena;
    auto& decoded =
        *google::protobuf::Arena::CreateMessage<otlp_collector::ExportTraceServiceRequest>(&arena);
    if (Status status = DecodeJsonRequest(body, decoded); !status) {
      return StatusResponse(400, encoding, kInvalidArgument, status.error().message);
    }
    extracted = ExtractSpans(decoded);
  }
  if (!extracted.batch.spans.empty()) {
    if (!store.Enqueue(std::move(extracted.batch))) return busy();
  }
  return Success(encoding, extracted.rejected, extracted.error_message);
}

}  // namespace blogtrace::collector
