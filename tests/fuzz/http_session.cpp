// libs/http's Server on raw bytes: each input goes down a fresh loopback connection to a real
// Server in this process (the session's Beast parser, request building, router dispatch in all
// three execution modes, and response writing), then whatever comes back must be a sequence of
// well-formed HTTP/1.x responses: status line, a valid X-Request-Id, a Content-Length that
// frames the body, error answers as problem+json, and a 500 only when a handler threw.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <rapidjson/document.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

#include "check.hpp"
#include "ticketing/http/server.hpp"

namespace {

using namespace ticketing::http;
namespace bhttp = boost::beast::http;

constexpr std::size_t kBodyLimit = 1024;  // small, so inputs reach 413 within -max_len
std::atomic<int> thrown{0};               // handler exceptions during the current input

// Handlers check what the server built from the bytes before answering.
void require_request(const Request& request) {
  fuzz::require(request.target.compare(0, request.path.size(), request.path) == 0,
                "the path starts the target");
  fuzz::require(request.path.find('?') == std::string::npos, "the path holds no '?'");
  const bool has_query = request.target.size() > request.path.size();
  fuzz::require(!has_query || request.target.substr(request.path.size()) == "?" + request.query,
                "the query is what follows the '?'");
  fuzz::require(request.body.size() <= kBodyLimit, "the body is within the limit");
  fuzz::require(!request.request_id.empty() && request.request_id.size() <= 128,
                "every request has an id");
}

Response echo(const Request& request) {
  require_request(request);
  return json_response(200, "{\"id\":" + std::to_string(request.param("id").size()) +
                                ",\"body\":" + std::to_string(request.body.size()) + "}");
}

Router fuzz_router() {
  Router router;
  router.add(Method::get, "/items/{id}", echo, Router::Execution::inline_io);
  router.add(Method::post, "/items", echo);  // worker pool
  router.add(Method::del, "/items/{id}", [](const Request& request) {
    require_request(request);
    return empty_response(204);
  });
  router.add_async(Method::put, "/items/{id}",
                   [](const Request& request, Respond respond) { respond(echo(request)); });
  router.add(Method::get, "/throw", [](const Request&) -> Response {
    thrown.fetch_add(1);
    throw std::runtime_error("handler failed");
  });
  return router;
}

// A Server running on its own thread for the whole process.
struct Harness {
  Harness()
      : logger("fuzz", ticketing::log::Level::error, ::open("/dev/null", O_WRONLY)),
        server(options(), fuzz_router(), logger),
        thread([this] { server.run(); }) {}
  ~Harness() {
    server.stop();
    thread.join();
  }

  static ServerOptions options() {
    ServerOptions o;
    o.service_name = "fuzz";
    o.address = "127.0.0.1";
    o.worker_threads = 2;
    o.body_limit = kBodyLimit;
    o.read_timeout = std::chrono::milliseconds(2000);
    o.access_log = false;
    return o;
  }

  ticketing::log::Logger logger;
  Server server;
  std::thread thread;
};

// A connected socket to the server, or a failure saying why.
int connect_to(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int attempt = 0;; ++attempt) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    fuzz::require(fd >= 0, "a socket opens");
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) return fd;
    const int error = errno;
    ::close(fd);
    // Interrupted by libFuzzer's SIGALRM, or no local port free for a moment: try again.
    if ((error == EINTR || error == EADDRNOTAVAIL || error == EAGAIN) && attempt < 100) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    std::fprintf(stderr, "fuzz: connect after %d attempts: %s\n", attempt + 1,
                 std::strerror(error));
    fuzz::require(false, "the server accepts");
  }
}

// Sends `bytes`, half-closes, and returns all that comes back until the server closes.
std::string exchange(std::uint16_t port, std::string_view bytes) {
  const int fd = connect_to(port);
  const timeval wait{4, 0};  // far more than any answer takes; a hang is a failure below
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;  // libFuzzer's SIGALRM timeout check
    if (n <= 0) break;  // the server closed early (an error answer): read what it said
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string answer;
  char chunk[4096];
  while (true) {
    const auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n > 0) {
      answer.append(chunk, static_cast<std::size_t>(n));
      continue;
    }
    // A reset after the answer (the server closed with input unread) still ends it.
    if (n < 0 && errno != ECONNRESET && errno != EPIPE) {
      std::fprintf(stderr, "fuzz: sent %zu of %zu bytes, got %zu back, then: %s\n", sent,
                   bytes.size(), answer.size(), std::strerror(errno));
      fuzz::require(false, "the server closes within 4 s");
    }
    break;
  }
  // Reset rather than close: a TIME_WAIT per input would use up the ephemeral ports.
  const linger reset{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  ::close(fd);
  return answer;
}

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

void require_body(int status, std::string_view content_type, std::string_view body) {
  if (status < 400) return;
  fuzz::require(content_type == "application/problem+json", "an error answer is a problem");
  rapidjson::Document json;
  json.Parse(body.data(), body.size());
  fuzz::require(!json.HasParseError() && json.IsObject() && json.HasMember("status") &&
                    json["status"].IsInt() && json["status"].GetInt() == status,
                "a problem's status field is the response status");
}

// Checks the response at the start of `rest` and returns its length; 0 at an unusable tail.
std::size_t check_one(std::string_view rest, int& internal_errors) {
  // Headers first, skipping any body: a HEAD answer announces a length it does not send.
  bhttp::response_parser<bhttp::empty_body> head;
  head.skip(true);
  boost::beast::error_code ec;
  const auto header_size = head.put(boost::asio::buffer(rest.data(), rest.size()), ec);
  fuzz::require(!ec && head.is_header_done(), "a response starts with a well-formed header");
  const auto& message = head.get();
  const int status = message.result_int();
  fuzz::require(message.version() == 10 || message.version() == 11, "the version is HTTP/1.x");
  if (status == 100) return header_size;  // Expect: 100-continue, the real answer follows
  fuzz::require(valid_request_id(message["X-Request-Id"]), "every answer has an X-Request-Id");
  if (status == 500) ++internal_errors;
  const auto length = head.content_length();
  if (status == 204 || status == 304) return header_size;
  fuzz::require(length.has_value(), "the answer has a Content-Length");
  const auto after = rest.substr(header_size);
  // Nothing, or the next answer, right after the header: the answer to a HEAD request.
  if (*length > 0 && (after.empty() || after.substr(0, 7) == "HTTP/1.")) return header_size;
  fuzz::require(after.size() >= *length, "the body is as long as Content-Length says");
  require_body(status, message[bhttp::field::content_type], after.substr(0, *length));
  return header_size + *length;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Harness harness;
  thrown = 0;
  const std::string answer = exchange(harness.server.port(), fuzz::text_of(data, size));
  int internal_errors = 0;
  std::string_view rest = answer;
  while (!rest.empty()) rest.remove_prefix(check_one(rest, internal_errors));
  fuzz::require(internal_errors == thrown, "a 500 only from a handler that threw");
  return 0;
}
