// The HTTP message types every layer above uses: Beast requests and responses with string bodies.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace blogtrace::http {

// An HTTP request as the server received it (or as the client sends it).
using Request = boost::beast::http::request<boost::beast::http::string_body>;

// An HTTP response as a handler builds it (or as the client received it).
using Response = boost::beast::http::response<boost::beast::http::string_body>;

}  // namespace blogtrace::http
