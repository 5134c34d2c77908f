#include "manage_line.hpp"

namespace queue {

LineControl ManageLine::Get() {
  const auto status = line_.status(/*drops_since=*/INT64_MAX);
  return {status.settings, status.counters.active, status.counters.waiting};
}

LineControl ManageLine::Update(const UpdateLineCommand& command) {
  line_.update_settings(command.capacity, command.paused);
  return Get();
}

}  // namespace queue
