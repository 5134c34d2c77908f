#pragma once

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <utility>

#include "ticketing/http/response.hpp"

namespace ticketing::http {

// Completes the request of an asynchronous handler, from any thread. Only the first call
// counts; later ones are ignored, so a request is answered exactly once.
class Respond {
 public:
  using Send = std::function<void(Response)>;
  using MapError = std::function<Response(std::exception_ptr)>;

  Respond(Send send, MapError map_error)
      : send_(std::move(send)),
        map_error_(std::move(map_error)),
        answered_(std::make_shared<std::atomic<bool>>(false)) {}

  void operator()(Response response) const {
    if (!answered_->exchange(true)) send_(std::move(response));
  }

  // Answers a failure as a thrown exception would be: 503 for DependencyUnavailable, else 500,
  // and logged.
  void fail(std::exception_ptr error) const {
    if (!answered_->exchange(true)) send_(map_error_(error));
  }

 private:
  Send send_;
  MapError map_error_;
  std::shared_ptr<std::atomic<bool>> answered_;
};

}  // namespace ticketing::http
