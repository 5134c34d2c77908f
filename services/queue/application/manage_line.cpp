#include "manage_line.hpp"

namespace queue {

LineControl ManageLine::Get() {
  const auto status = line_.status(/*drops_since=*/INT64_MAX);
  return {status.settings, status.counters.active, status.counters.waiting,
          status.opening.opens_at, status.seats && sold_out(*status.seats)};
}

LineControl ManageLine::Update(const UpdateLineCommand& command) {
  if (command.capacity || command.paused) line_.update_settings(command.capacity, command.paused);
  if (command.opens_at) line_.set_opening(*command.opens_at, seeds_());
  return Get();
}

std::optional<PublishedOpening> ManageLine::Opening() { return line_.opening(); }

}  // namespace queue
