#include "otlp_sink.h"

#include <zlib.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <stdexcept>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace blogtrace::tracing_test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse;

constexpr std::size_t kMaxBody = 64 * 1024 * 1024;

// Inflates a gzip body; nullopt when it is not valid gzip or grows past kMaxBody.
std::optional<std::string> Gunzip(std::string_view compressed) {
  z_stream stream{};
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return std::nullopt;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  char chunk[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof chunk;
    rc = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - stream.avail_out);
    if (out.size() > kMaxBody) rc = Z_MEM_ERROR;
    if (rc == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) rc = Z_BUF_ERROR;
  }
  inflateEnd(&stream);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

}  // namespace

// The Beast server: an acceptor and one session per connection, all on one io_context.
struct OtlpSink::Server {
  // One keep-alive connection: read a request, answer it, repeat.
  class Session : public std::enable_shared_from_this<Session> {
   public:
    Session(tcp::socket socket, OtlpSink& sink) : stream_(std::move(socket)), sink_(sink) {}

    void Read() {
      parser_.emplace();
      parser_->body_limit(kMaxBody);
      http::async_read(
          stream_, buffer_, *parser_,
          [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
    }

   private:
    void OnRead(beast::error_code ec) {
      if (ec) return;  // closed by the peer or a bad request: drop the connection
      response_ = Handle(parser_->get());
      http::async_write(stream_, response_,
                        [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                          if (write_ec) return;
                          if (self->response_.keep_alive()) {
                            self->Read();
                          } else {
                            beast::error_code ignored;
                            self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                          }
                        });
    }

    http::response<http::string_body> Handle(const http::request<http::string_body>& request) {
      http::response<http::string_body> response;
      response.version(request.version());
      response.keep_alive(request.keep_alive());
      auto fail = [&](http::status status) {
        sink_.Reject();
        response.result(status);
        response.set(http::field::content_type, "text/plain");
        response.body() = "rejected by the test sink";
        response.prepare_payload();
        return response;
      };
      if (request.target() != "/v1/traces") return fail(http::status::not_found);
      if (request.method() != http::verb::post) return fail(http::status::method_not_allowed);
      std::string_view type = request[http::field::content_type];
      if (type.substr(0, type.find(';')) != "application/x-protobuf") {
        return fail(http::status::unsupported_media_type);
      }
      std::string_view encoding = request[http::field::content_encoding];
      std::optional<std::string> inflated;
      std::string_view body = request.body();
      if (encoding == "gzip") {
        inflated = Gunzip(body);
        if (!inflated) return fail(http::status::bad_request);
        body = *inflated;
      } else if (!encoding.empty() && encoding != "identity") {
        return fail(http::status::unsupported_media_type);
      }
      std::vector<ReceivedSpan> spans;
      if (!OtlpSink::Decode(body, spans)) return fail(http::status::bad_request);
      sink_.Accept(std::move(spans));
      response.result(http::status::ok);
      response.set(http::field::content_type, "application/x-protobuf");
      response.body() = ExportTraceServiceResponse().SerializeAsString();
      response.prepare_payload();
      return response;
    }

    beast::tcp_stream stream_;
    OtlpSink& sink_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    http::response<http::string_body> response_;
  };

  explicit Server(OtlpSink& sink) : sink_(sink), acceptor_(io_) {
    tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
    Accept();
  }

  void Accept() {
    acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;  // the acceptor was closed
      std::make_shared<Session>(std::move(socket), sink_)->Read();
      Accept();
    });
  }

  OtlpSink& sink_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
};

OtlpSink::OtlpSink() {
  try {
    server_ = std::make_unique<Server>(*this);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("OtlpSink: cannot listen: ") + e.what());
  }
  port_ = server_->acceptor_.local_endpoint().port();
  io_thread_ = std::thread([this] { server_->io_.run(); });
}

OtlpSink::~OtlpSink() {
  server_->io_.stop();
  io_thread_.join();
}

std::string OtlpSink::endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<ReceivedSpan> OtlpSink::Spans() const {
  std::lock_guard lock(mutex_);
  return spans_;
}

std::vector<ReceivedSpan> OtlpSink::SpansOfTrace(std::string_view trace_id) const {
  std::lock_guard lock(mutex_);
  std::vector<ReceivedSpan> out;
  for (const ReceivedSpan& span : spans_) {
    if (span.trace_id == trace_id) out.push_back(span);
  }
  return out;
}

int OtlpSink::accepted_requests() const {
  std::lock_guard lock(mutex_);
  return accepted_;
}

int OtlpSink::rejected_requests() const {
  std::lock_guard lock(mutex_);
  return rejected_;
}

bool OtlpSink::WaitForSpans(const SpanPredicate& predicate,
                            std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return predicate(spans_); });
}

bool OtlpSink::WaitForTraceSpans(std::string_view trace_id, std::size_t count,
                                 std::chrono::milliseconds timeout) const {
  return WaitForSpans(
      [&](const std::vector<ReceivedSpan>& spans) {
        std::size_t n = 0;
        for (const ReceivedSpan& span : spans) n += span.trace_id == trace_id ? 1 : 0;
        return n >= count;
      },
      timeout);
}

void OtlpSink::Clear() {
  std::lock_guard lock(mutex_);
  spans_.clear();
  accepted_ = 0;
  rejected_ = 0;
}

bool OtlpSink::Decode(std::string_view body, std::vector<ReceivedSpan>& out) {
  ExportTraceServiceRequest request;
  if (!request.ParseFromArray(body.data(), static_cast<int>(body.size()))) return false;
  for (const auto& resource_spans : request.resource_spans()) {
    std::string service;
    for (const auto& kv : resource_spans.resource().attributes()) {
      if (kv.key() == "service.name") service = kv.value().string_value();
    }
    for (const auto& scope_spans : resource_spans.scope_spans()) {
      for (const auto& span : scope_spans.spans()) {
        ReceivedSpan received;
        received.service = service;
        received.scope = scope_spans.scope().name();
        received.trace_id = ToHex(span.trace_id());
        received.span_id = ToHex(span.span_id());
        // An all-zero parent id means "no parent" as much as an empty one does.
        if (span.parent_span_id().find_first_not_of('\0') != std::string::npos) {
          received.parent_span_id = ToHex(span.parent_span_id());
        }
        received.proto = span;
        out.push_back(std::move(received));
      }
    }
  }
  return true;
}

void OtlpSink::Accept(std::vector<ReceivedSpan> spans) {
  {
    std::lock_guard lock(mutex_);
    ++accepted_;
    for (ReceivedSpan& span : spans) spans_.push_back(std::move(span));
  }
  changed_.notify_all();
}

void OtlpSink::Reject() {
  {
    std::lock_guard lock(mutex_);
    ++rejected_;
  }
  changed_.notify_all();
}

}  // namespace blogtrace::tracing_test
