#include "ticketing/http/client.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_prefix.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <charconv>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "text.hpp"

namespace ticketing::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

std::optional<bhttp::verb> to_verb(Method method) {
  switch (method) {
    case Method::get:
      return bhttp::verb::get;
    case Method::post:
      return bhttp::verb::post;
    case Method::put:
      return bhttp::verb::put;
    case Method::patch:
      return bhttp::verb::patch;
    case Method::del:
      return bhttp::verb::delete_;
    case Method::head:
      return bhttp::verb::head;
    case Method::options:
      return bhttp::verb::options;
    case Method::other:
      return std::nullopt;
  }
  return std::nullopt;
}

// One keep-alive connection. Connecting runs an io_context of its own (name resolution and a
// connect with a deadline); requests then go over the socket directly (DeadlineSocket).
struct Connection {
  asio::io_context ioc{1};
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;

  // Runs the io_context until the started operation completes (tcp_stream timers bound it).
  void run() {
    ioc.restart();
    ioc.run();
  }
};

// The connected socket of a blocking caller, driven by plain system calls up to a deadline: a
// request is one send, each piece of the answer one poll and one recv. The event loop with a
// timer per operation that it replaces cost about as much as the kernel's own work per call.
// A Beast SyncReadStream, so Beast's parser reads the answer.
class DeadlineSocket {
 public:
  DeadlineSocket(int fd, std::chrono::steady_clock::time_point deadline)
      : fd_(fd), deadline_(deadline) {}

  void write_all(std::string_view data, beast::error_code& ec) {
    ec = {};
    while (!data.empty()) {
      const auto sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (sent >= 0) {
        data.remove_prefix(static_cast<std::size_t>(sent));
      } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (!wait_for(POLLOUT, ec)) return;
      } else if (errno != EINTR) {
        ec = beast::error_code(errno, beast::system_category());
        return;
      }
    }
  }

  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers, beast::error_code& ec) {
    ec = {};
    const asio::mutable_buffer into = beast::buffers_front(buffers);
    if (into.size() == 0) return 0;
    while (wait_for(POLLIN, ec)) {
      const auto got = ::recv(fd_, into.data(), into.size(), MSG_DONTWAIT);
      if (got > 0) return static_cast<std::size_t>(got);
      if (got == 0) {
        ec = asio::error::eof;
        return 0;
      }
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        ec = beast::error_code(errno, beast::system_category());
        return 0;
      }
    }
    return 0;
  }

  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers) {
    beast::error_code ec;
    const auto got = read_some(buffers, ec);
    if (ec) throw beast::system_error(ec);
    return got;
  }

 private:
  // True once the socket is ready for `events` (or has failed: the next call tells how); false
  // with ec set when the deadline passes first.
  bool wait_for(short events, beast::error_code& ec) {
    for (;;) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(
          deadline_ - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        ec = beast::error::timeout;
        return false;
      }
      pollfd ready{fd_, events, 0};
      const int n = ::poll(&ready, 1, static_cast<int>(left.count()));
      if (n > 0) return true;
      if (n < 0 && errno != EINTR) {
        ec = beast::error_code(errno, beast::system_category());
        return false;
      }
    }
  }

  int fd_;
  std::chrono::steady_clock::time_point deadline_;
};

enum class Outcome { ok, connect_failed, timeout, io_error, closed_before_response };

}  // namespace

std::string_view describe(ClientError error) {
  switch (error) {
    case ClientError::connect_failed:
      return "connect failed";
    case ClientError::timeout:
      return "request timed out";
    case ClientError::io_error:
      return "i/o error";
  }
  return "unknown client error";
}

Result<ClientOptions, std::string> ClientOptions::from_url(std::string_view url) {
  constexpr std::string_view scheme = "http://";
  if (url.substr(0, scheme.size()) != scheme)
    return fail(std::string("URL must start with http://"));
  std::string_view rest = url.substr(scheme.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('/') != std::string_view::npos)
    return fail(std::string("URL must not have a path"));
  ClientOptions options;
  std::string_view host = rest;
  if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    const auto digits = rest.substr(colon + 1);
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || value == 0 ||
        value > 65535) {
      return fail(detail::concat({"invalid port in URL: ", url}));
    }
    options.port = static_cast<std::uint16_t>(value);
  }
  if (host.empty()) return fail(std::string("URL has no host"));
  // A space or control character would pass here and fail every request later (DNS, Host).
  const bool visible =
      std::all_of(host.begin(), host.end(), [](char c) { return c > ' ' && c < 0x7f; });
  if (!visible || host.find_first_of("@?#[]") != std::string_view::npos)
    return fail(detail::concat({"unsupported host in URL: ", url}));
  options.host = std::string(host);
  return options;
}

struct Client::Impl {
  explicit Impl(ClientOptions o) : options(std::move(o)) {}

  ClientOptions options;
  std::mutex mutex;
  std::vector<std::unique_ptr<Connection>> idle;
  std::atomic<std::size_t> opened{0};

  std::unique_ptr<Connection> take_idle() {
    std::lock_guard lock(mutex);
    if (idle.empty()) return nullptr;
    auto connection = std::move(idle.back());
    idle.pop_back();
    return connection;
  }

  void give_back(std::unique_ptr<Connection> connection) {
    std::lock_guard lock(mutex);
    if (idle.size() < options.max_idle_connections) idle.push_back(std::move(connection));
  }

  Outcome connect(Connection& c) {
    opened.fetch_add(1);
    const auto deadline = std::chrono::steady_clock::now() + options.connect_timeout;
    beast::error_code ec;
    std::vector<tcp::endpoint> endpoints;
    const auto address = asio::ip::make_address(options.host, ec);
    if (!ec) {
      endpoints.emplace_back(address, options.port);
    } else {
      tcp::resolver resolver(c.ioc);
      bool done = false;
      resolver.async_resolve(
          options.host, std::to_string(options.port),
          [&](const beast::error_code& rec, const tcp::resolver::results_type& results) {
            done = true;
            if (rec) return;
            for (const auto& entry : results) endpoints.push_back(entry.endpoint());
          });
      c.ioc.restart();
      c.ioc.run_until(deadline);
      if (!done) {
        resolver.cancel();
        c.run();
        return Outcome::connect_failed;
      }
      if (endpoints.empty()) return Outcome::connect_failed;
    }
    c.stream.expires_at(deadline);
    beast::error_code connect_ec;
    c.stream.async_connect(
        endpoints, [&](const beast::error_code& e, const tcp::endpoint&) { connect_ec = e; });
    c.run();
    if (connect_ec) return Outcome::connect_failed;
    c.stream.socket().set_option(tcp::no_delay(true), ec);
    return Outcome::ok;
  }

  Outcome exchange(Connection& c, std::string_view request, bool head, ClientResponse& out,
                   bool& keep_alive) {
    DeadlineSocket socket(c.stream.socket().native_handle(),
                          std::chrono::steady_clock::now() + options.request_timeout);
    beast::error_code write_ec;
    socket.write_all(request, write_ec);
    if (write_ec == beast::error::timeout) return Outcome::timeout;
    if (write_ec) return Outcome::closed_before_response;  // nothing of the answer arrived yet

    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    if (head) parser.skip(true);
    beast::error_code read_ec;
    bhttp::read(socket, c.buffer, parser, read_ec);
    if (read_ec == beast::error::timeout) return Outcome::timeout;
    if (read_ec) {
      const bool nothing = !parser.got_some() && c.buffer.size() == 0;
      const bool closed = read_ec == bhttp::error::end_of_stream || read_ec == asio::error::eof ||
                          read_ec == asio::error::connection_reset ||
                          read_ec == asio::error::broken_pipe;
      return nothing && closed ? Outcome::closed_before_response : Outcome::io_error;
    }
    auto& message = parser.get();
    out.status = static_cast<int>(message.result_int());
    out.content_type = std::string(message[bhttp::field::content_type]);
    out.body = std::move(message.body());
    keep_alive = message.keep_alive();
    return Outcome::ok;
  }
};

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Client::~Client() = default;

const ClientOptions& Client::options() const { return impl_->options; }
std::size_t Client::connections_opened() const { return impl_->opened.load(); }

Result<ClientResponse, ClientError> Client::send(
    Method method, std::string_view target, std::string_view body, std::string_view request_id,
    std::vector<std::pair<std::string, std::string>> extra_headers) {
  const auto verb = to_verb(method);
  if (!verb) return fail(ClientError::io_error);

  // The request as it goes on the wire, written out here: Beast's serializer walked its buffer
  // sequences for longer than the system call that sends them.
  std::string request;
  request.reserve(160 + target.size() + body.size());
  request.append(bhttp::to_string(*verb)).append(" ").append(target).append(" HTTP/1.1\r\n");
  const auto field = [&request](std::string_view name, std::string_view value) {
    // A line break would end the header early and start one of the value's choosing.
    if (name.find_first_of("\r\n:") != std::string_view::npos ||
        value.find_first_of("\r\n") != std::string_view::npos) {
      throw std::invalid_argument(detail::concat({"http client: a line break in header ", name}));
    }
    request.append(name).append(": ").append(value).append("\r\n");
  };
  field("Host", detail::concat({impl_->options.host, ":", std::to_string(impl_->options.port)}));
  if (!request_id.empty()) field("X-Request-Id", request_id);
  if (!body.empty()) field("Content-Type", "application/json; charset=utf-8");
  // A plain loop variable: clang 14 cannot capture a structured binding in the lambda.
  for (const auto& standing : impl_->options.headers) {
    const bool overridden = std::any_of(
        extra_headers.begin(), extra_headers.end(),
        [&](const auto& extra) { return beast::iequals(extra.first, standing.first); });
    if (!overridden) field(standing.first, standing.second);
  }
  for (const auto& [name, value] : extra_headers) field(name, value);
  const bool bodiless = *verb == bhttp::verb::get || *verb == bhttp::verb::head;
  if (!body.empty() || !bodiless) field("Content-Length", std::to_string(body.size()));
  request.append("\r\n").append(body);
  const bool head = *verb == bhttp::verb::head;

  for (int attempt = 0; attempt < 2; ++attempt) {
    auto connection = attempt == 0 ? impl_->take_idle() : nullptr;
    const bool reused = connection != nullptr;
    if (!connection) {
      connection = std::make_unique<Connection>();
      switch (impl_->connect(*connection)) {
        case Outcome::ok:
          break;
        default:
          return fail(ClientError::connect_failed);
      }
    }
    ClientResponse response;
    bool keep_alive = false;
    switch (impl_->exchange(*connection, request, head, response, keep_alive)) {
      case Outcome::ok:
        if (keep_alive && connection->buffer.size() == 0) impl_->give_back(std::move(connection));
        return response;
      case Outcome::timeout:
        return fail(ClientError::timeout);
      case Outcome::closed_before_response:
        if (reused) continue;  // the peer had closed the idle connection: retry once, fresh
        return fail(ClientError::io_error);
      default:
        return fail(ClientError::io_error);
    }
  }
  return fail(ClientError::io_error);
}

}  // namespace ticketing::http
