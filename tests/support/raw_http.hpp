#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace test_support {

// A raw HTTP/1.1 exchange for API tests that must see every header and send any bytes: one
// request per connection (Connection: close), the answer read to EOF.

using Headers = std::vector<std::pair<std::string, std::string>>;

std::string lowercase(std::string_view text);

struct Reply {
  int status = 0;
  Headers headers;
  std::string body;

  std::optional<std::string> header(std::string_view name) const;
  std::string content_type() const { return header("Content-Type").value_or(""); }
};

// Sends the bytes of a whole request as they are. Throws when no HTTP answer comes back.
Reply exchange_raw(std::uint16_t port, const std::string& request);

// A well-formed request; a body (or POST/PUT) gets Content-Length and, unless given,
// Content-Type: application/json and X-Internal-Key: kTestInternalKey (a service needs it; the
// gateway overwrites it). To send none, use exchange_raw.
Reply exchange(std::uint16_t port, std::string_view method, std::string_view target,
               std::string_view body = {}, const Headers& headers = {});

}  // namespace test_support
