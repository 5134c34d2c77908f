#include "os_seed.hpp"

#include <sys/random.h>

#include <cerrno>
#include <system_error>

namespace queue {

Seed os_random_seed() {
  Seed seed{};
  std::size_t filled = 0;
  while (filled < seed.size()) {
    const auto got = getrandom(seed.data() + filled, seed.size() - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "getrandom");
    }
    filled += static_cast<std::size_t>(got);
  }
  return seed;
}

}  // namespace queue
