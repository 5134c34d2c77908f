#pragma once

#include <stdexcept>

namespace ticketing {

// Thrown when something the service depends on (the database, another service) cannot be
// reached or did not answer in time. The HTTP server answers it with 503 SERVICE_UNAVAILABLE.
struct DependencyUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace ticketing
