#pragma once

#include <exception>
#include <utility>

#include "ticketing/completed.hpp"
#include "ticketing/http/respond.hpp"

namespace ticketing::http {

// A use case's completion callback that answers the HTTP request: `render` turns the use case's
// result into a Response; a failure (e.g. the database is unavailable) is answered as a thrown
// exception is.
template <class Result, class Render>
auto reply_with(Respond respond, Render render) {
  return [respond = std::move(respond), render = std::move(render)](Completed<Result> done) {
    try {
      respond(render(std::move(done).get()));
    } catch (...) {
      respond.fail(std::current_exception());
    }
  };
}

}  // namespace ticketing::http
