#pragma once

#include <optional>

#include "line_view.hpp"
#include "ports/line_repository.hpp"

namespace queue {

struct LineControl {
  LineSettings settings;
  std::int64_t active = 0;
  std::int64_t waiting = 0;
};

struct UpdateLineCommand {
  std::optional<std::int64_t> capacity;  // validated by the caller's parser: 0..kMaxCapacity
  std::optional<bool> paused;
};

inline constexpr std::int64_t kMaxCapacity = 1'000'000;

// The admin's live control of the line: read it, change capacity or pause it.
class ManageLine {
 public:
  explicit ManageLine(LineRepository& line) : line_(line) {}

  LineControl Get();
  LineControl Update(const UpdateLineCommand& command);

 private:
  LineRepository& line_;
};

}  // namespace queue
