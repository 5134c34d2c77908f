#include "hostile_requests.hpp"

#include <utility>

namespace e2e {
namespace {

using namespace std::string_literals;  // "\0"s keeps NUL bytes

// A route every service answers 401 or 404 without a token: what a request that got through
// unchanged would reach.
constexpr std::string_view kGuardedGet = "/api/v1/queue/tokens/me";

std::string hidden_request(std::string_view path) {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
}

std::string get(std::string_view target, const std::string& extra_headers = {}) {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: x\r\n" + extra_headers +
         "Connection: close\r\n\r\n";
}

}  // namespace

std::vector<HostileRequest> smuggling_requests(std::string_view post_target,
                                               std::string_view smuggled_path) {
  const std::string post = "POST " + std::string(post_target) + " HTTP/1.1\r\nHost: x\r\n";
  const std::string hidden = hidden_request(smuggled_path);
  // The bodies are never valid JSON: a request taken whole still gets a 4xx.
  const std::string last_chunk = "0\r\n\r\n";
  const std::string chunked_garbage = "2\r\n{x\r\n" + last_chunk;
  auto chunked = [&](const std::string& coding_header, const std::string& chunks) {
    return post + coding_header + "\r\n\r\n" + chunks + hidden;
  };
  const std::string te = "Transfer-Encoding: chunked";
  return {
      {"Content-Length beside Transfer-Encoding",
       post + "Content-Length: 5\r\n" + te + "\r\n\r\n" + chunked_garbage + hidden, 400},
      {"Transfer-Encoding before Content-Length",
       post + te + "\r\nContent-Length: " + std::to_string(chunked_garbage.size() + hidden.size()) +
           "\r\n\r\n" + chunked_garbage + hidden,
       400},
      {"two different Content-Lengths",
       post + "Content-Length: 2\r\nContent-Length: " + std::to_string(2 + hidden.size()) +
           "\r\n\r\n{x" + hidden,
       400},
      {"the same Content-Length twice",
       post + "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{x" + hidden, 400},
      {"a Content-Length list", post + "Content-Length: 2, 2\r\n\r\n{x" + hidden, 400},
      {"a signed Content-Length", post + "Content-Length: +2\r\n\r\n{x" + hidden, 400},
      {"a negative Content-Length", post + "Content-Length: -1\r\n\r\n{x" + hidden, 400},
      {"an obs-fold header line", get(kGuardedGet, "X-Padding: a\r\n folded\r\n"), 400},
      {"an obs-fold hiding Transfer-Encoding",
       post + "Content-Length: 2\r\nX-Padding: a\r\n " + te + "\r\n\r\n{x" + hidden, 400},
      // nginx reads a bare LF as a line end and passes the request on with CRLF: the queue's 401.
      {"bare LF line endings",
       "GET " + std::string(kGuardedGet) + " HTTP/1.1\nHost: x\nConnection: close\n\n", 401},
      {"a bare LF hiding Transfer-Encoding",
       post + "X-Padding: a\n" + te + "\r\nContent-Length: 2\r\n\r\n{x" + hidden, 400},
      {"a bare CR inside a header value",
       post + "X-Padding: a\r" + te + "\r\nContent-Length: 2\r\n\r\n{x" + hidden, 400},
      {"a chunk size that is not hex", chunked(te, "zz\r\n{x\r\n" + last_chunk), 400},
      {"a negative chunk size", chunked(te, "-2\r\n{x\r\n" + last_chunk), 400},
      {"a chunk size over 64 bits", chunked(te, "1ffffffffffffffff\r\n{x\r\n" + last_chunk), 400},
      {"a chunk size with 0x", chunked(te, "0x2\r\n{x\r\n" + last_chunk), 400},
      {"a chunk longer than its size", chunked(te, "1\r\n{x\r\n" + last_chunk), 400},
      {"a second request after the last chunk", chunked(te, chunked_garbage), 400},
      {"a request inside a Content-Length body",
       post + "Connection: close\r\nContent-Length: " +
           std::to_string(last_chunk.size() + hidden.size()) + "\r\n\r\n" + last_chunk + hidden,
       400},
      {"Transfer-Encoding chunked, identity",
       chunked("Transfer-Encoding: chunked, identity", chunked_garbage), 400},
      {"Transfer-Encoding xchunked", chunked("Transfer-Encoding: xchunked", chunked_garbage), 400},
      {"Transfer-Encoding after a tab", chunked("Transfer-Encoding:\tchunked", chunked_garbage),
       400},
      {"Transfer-Encoding identity", chunked("Transfer-Encoding: identity", chunked_garbage), 400},
      {"Transfer-Encoding with a space before the colon",
       chunked("Transfer-Encoding : chunked", chunked_garbage), 400},
      {"Transfer-Encoding twice", chunked(te + "\r\nTransfer-Encoding: identity", chunked_garbage),
       400},
      {"Transfer-Encoding in HTTP/1.0",
       "POST " + std::string(post_target) + " HTTP/1.0\r\nHost: x\r\n" + te + "\r\n\r\n" +
           chunked_garbage + hidden,
       400},
      {"a space in a header name", get(kGuardedGet, "X Padding: a\r\n"), 400},
      {"a control byte in a header name", get(kGuardedGet, "X-Pad\001ding: a\r\n"), 400},
      {"two Host headers", get(kGuardedGet, "Host: y\r\n"), 400},
      {"an absolute-form target", get("http://x" + std::string(smuggled_path)), 404},
  };
}

std::vector<HostileRequest> oversized_requests() {
  std::string many_headers;
  for (int i = 0; i < 3000; ++i) many_headers += "X-Many-" + std::to_string(i) + ": v\r\n";
  const std::string long_segment(9 * 1024, 'a');
  return {
      {"one header of 9 KiB", get(kGuardedGet, "X-Padding: " + std::string(9 * 1024, 'b') + "\r\n"),
       431},
      {"one header of 64 KiB",
       get(kGuardedGet, "X-Padding: " + std::string(64 * 1024, 'b') + "\r\n"), 431},
      {"a header name of 9 KiB", get(kGuardedGet, std::string(9 * 1024, 'X') + ": v\r\n"), 431},
      {"3,000 headers", get(kGuardedGet, many_headers), 431},
      {"a target of 9 KiB", get("/api/v1/users/" + long_segment + "/points"), 414},
      {"a target of 100 KiB", get("/api/v1/users/" + std::string(100 * 1024, 'a') + "/points"),
       414},
      {"a query of 16 KiB", get(std::string(kGuardedGet) + "?q=" + std::string(16 * 1024, 'q')),
       414},
  };
}

std::vector<HostileRequest> garbled_requests(std::string_view user_id, std::string_view bearer) {
  const std::string user(user_id);
  const std::string token = "Authorization: Bearer " + std::string(bearer) + "\r\n";
  const std::string history = "/api/v1/users/" + user + "/points/history?";
  std::vector<std::pair<std::string, std::string>> targets{
      {"invalid UTF-8 in a path", "/api/v1/users/\xff\xfe/points"},
      {"an overlong UTF-8 slash in a path", "/api/v1/users/\xc0\xaf/points"},
      {"percent-encoded invalid UTF-8", "/api/v1/users/%ff%fe/points"},
      {"percent-encoded overlong dots", "/api/v1/users/%c0%ae%c0%ae/points"},
      {"a percent-encoded NUL", "/api/v1/users/%00/points"},
      {"a percent-encoded NUL after a user id", "/api/v1/users/" + user + "%00/points"},
      {"a percent-encoded right-to-left mark", "/api/v1/users/%e2%80%ae" + user + "/points"},
      {"percent signs without hex", "/api/v1/users/%zz/points"},
      {"a lone percent sign", "/api/v1/users/%/points"},
      {"raw control bytes in a path", "/api/v1/users/\x01\x02/points"},
      {"a raw NUL in a path", "/api/v1/users/\0/points"s},
      {"a raw DEL in a path", "/api/v1/users/\x7f/points"},
      {"a raw tab in a path", "/api/v1/users/\t/points"},
      {"a percent-encoded NUL in a query", history + "limit=%00"},
      {"invalid UTF-8 in a query", history + "limit=\xff"},
      {"percent-encoded invalid UTF-8 in a query", history + "limit=%ff%fe"},
      {"a lone percent sign in a query", history + "limit=%"},
      {"a number then a NUL in a query", history + "limit=1%00"},
      {"a raw control byte in a query", history + "limit=\x01"},
      {"a number over 64 bits in a query", history + "limit=99999999999999999999999"},
      {"an encoded parameter name with a NUL value", history + "li%6dit=%00"},
      {"invalid UTF-8 names before the limit", history + "\xff=\xfe&limit=%ff"},
      {"a NUL in a date", "/api/v1/concerts/dates/%00/seats"},
      {"invalid UTF-8 in a date", "/api/v1/concerts/dates/\xff\xfe/seats"},
      {"a date then a NUL", "/api/v1/concerts/dates/2030-01-01%00/seats"},
      {"invalid UTF-8 in a reservation id", "/api/v1/reservations/%ff"},
      {"a reservation id then a NUL", "/api/v1/reservations/1%00"},
      {"a NUL as a payment id", "/api/v1/payments/%00"},
      {"invalid UTF-8 in a path the gateway routes nowhere", "/api/v1/\xff\xfe"},
  };
  std::vector<HostileRequest> requests;
  for (const auto& [name, target] : targets) requests.push_back({name, get(target, token)});
  requests.push_back(
      {"invalid UTF-8 in a bearer token", get(kGuardedGet, "Authorization: Bearer \xff\xfe\r\n")});
  requests.push_back({"a percent-encoded NUL as a bearer token",
                      get(kGuardedGet, "Authorization: Bearer %00\r\n")});
  requests.push_back({"a NUL in a header value", get(kGuardedGet, "X-Padding: a\0b\r\n"s)});
  requests.push_back(
      {"invalid UTF-8 in a request id", get("/api/v1/nope", "X-Request-Id: \xff\xfe\r\n")});
  requests.push_back(
      {"invalid UTF-8 in an admin key", get("/api/v1/admin/queue", "X-Admin-Key: \xff\r\n")});
  return requests;
}

}  // namespace e2e
