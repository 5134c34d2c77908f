#include "ticketing/config/main_guard.hpp"

#include <cstdio>
#include <exception>
#include <string>

#include "ticketing/config/env.hpp"

namespace ticketing::config {

int guarded_main(std::string_view service, const std::function<int()>& run) {
  const std::string name(service);
  try {
    return run();
  } catch (const ConfigError& error) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), error.what());
    return 2;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s: cannot start: %s\n", name.c_str(), error.what());
    return 1;
  }
}

}  // namespace ticketing::config
