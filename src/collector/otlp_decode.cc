#include "collector/otlp_decode.h"

#include <zlib.h>

namespace blogtrace::collector {

Result<std::string> Gunzip(std::string_view compressed, std::size_t max_output) {
  z_stream zs{};
  // 32 + MAX_WBITS: accept gzip and zlib headers alike.
  if (inflateInit2(&zs, 32 + MAX_WBITS) != Z_OK) return Error::Internal("inflate init failed");
  struct Guard {
    z_stream* zs;
    ~Guard() { inflateEnd(zs); }
  } guard{&zs};
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zs.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  char chunk[64 * 1024];
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof(chunk);
    int rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      return Error::BadRequest("request body is not valid gzip");
    }
    std::size_t produced = sizeof(chunk) - zs.avail_out;
    if (out.size() + produced > max_output) {
      return Error{ErrorCode::kPayloadTooLarge,
                   "decompressed request body exceeds " + std::to_string(max_output) + " bytes"};
    }
    out.append(chunk, produced);
    if (rc == Z_STREAM_END) {
      // Concatenated gzip members (allowed by RFC 1952) continue after a reset.
      if (zs.avail_in == 0) return out;
      if (inflateReset(&zs) != Z_OK) return Error::BadRequest("request body is not valid gzip");
      continue;
    }
    if (produced == 0 && (zs.avail_in == 0 || rc == Z_BUF_ERROR)) {
      return Error::BadRequest("request body is truncated gzip");
    }
  }
}

Status DecodeProtobufRequest(std::string_view body,
                             otlp_collector::ExportTraceServiceRequest& out) {
  if (!out.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
    return Error::BadRequest("request body is not a valid ExportTraceServiceRequest protobuf");
  }
  return {};
}

}  // namespace blogtrace::collector
