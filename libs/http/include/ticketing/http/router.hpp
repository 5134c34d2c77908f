#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ticketing/http/request.hpp"
#include "ticketing/http/respond.hpp"
#include "ticketing/http/response.hpp"
#include "ticketing/result.hpp"

namespace ticketing::http {

// Maps method + path to a handler. Patterns are absolute paths whose segments are literals or
// whole-segment parameters: "/api/v1/reservations/{reservationId}". Matching is exact per segment
// (a trailing slash or an extra segment does not match); when several patterns match, the one
// with a literal at the first differing segment wins. HEAD falls back to a GET route.
class Router {
 public:
  using Handler = std::function<Response(const Request&)>;
  // Starts the work on the IO thread without blocking and answers later through Respond, from
  // any thread: no thread waits while, say, a database batch runs.
  using AsyncHandler = std::function<void(const Request&, Respond)>;

  // inline_io: runs on the IO thread; only for handlers that never block (no DB, no client calls).
  // blocking: runs on the server's worker pool.
  // async: an AsyncHandler, started on the IO thread.
  enum class Execution { inline_io, blocking, async };

  struct Match {
    const Handler* handler = nullptr;             // inline_io and blocking
    const AsyncHandler* async_handler = nullptr;  // async
    Execution execution = Execution::blocking;
    HeaderList params;       // name -> percent-decoded value
    std::string_view route;  // the matched pattern, valid as long as the router lives
  };

  struct Miss {
    int status = 404;             // 404 no pattern matches the path, 405 method not allowed
    std::vector<Method> allowed;  // for 405: the methods the path accepts
  };

  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Throws std::invalid_argument on a malformed pattern or a duplicate method + pattern.
  void add(Method method, std::string pattern, Handler handler,
           Execution execution = Execution::blocking);
  void add_async(Method method, std::string pattern, AsyncHandler handler);

  Result<Match, Miss> match(Method method, std::string_view path) const;

 private:
  struct Route;
  void add_entry(Method method, std::string pattern, Handler handler, AsyncHandler async_handler,
                 Execution execution);
  std::vector<std::unique_ptr<Route>> routes_;
};

// "GET, HEAD, POST" for an Allow header.
std::string allow_header(const std::vector<Method>& methods);

// The problem response for a miss: 404 NOT_FOUND, or 405 METHOD_NOT_ALLOWED with Allow.
Response miss_response(const Router::Miss& miss, Method method, std::string_view path);

}  // namespace ticketing::http
