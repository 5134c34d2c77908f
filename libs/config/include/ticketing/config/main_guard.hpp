#pragma once

#include <functional>
#include <string_view>

namespace ticketing::config {

// Runs a service's main: a bad configuration prints every problem and exits 2, anything that
// stops the start (database, port taken, ...) prints why and exits 1.
int guarded_main(std::string_view service, const std::function<int()>& run);

}  // namespace ticketing::config
