#pragma once

#include "application/ports/line_repository.hpp"

namespace queue {

// 32 bytes from the kernel's CSPRNG (getrandom(2)): an opening's secret seed.
Seed os_random_seed();

}  // namespace queue
