#include "ticketing/config/main_guard.hpp"

#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "ticketing/config/env.hpp"

namespace ticketing::config {

namespace {

// glibc gives a thread that meets contention in malloc an arena of its own, up to eight per core.
// A service's twenty-odd threads (network, workers, batchers) then keep what one thread freed out
// of reach of the others, and the resident set grows with the churn: the queue service under the
// benchmark's load held 35-39 MB, 31 MB with two arenas, at the same throughput. Two arenas,
// unless the operator sets MALLOC_ARENA_MAX (which glibc then reads itself).
void limit_malloc_arenas() {
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 2);
}

}  // namespace

int guarded_main(std::string_view service, const std::function<int()>& run) {
  const std::string name(service);
  limit_malloc_arenas();
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
