#pragma once

#include <functional>
#include <optional>

#include "clock.hpp"
#include "line_view.hpp"
#include "ports/line_repository.hpp"

namespace queue {

struct LineControl {
  LineSettings settings;
  std::int64_t active = 0;
  std::int64_t waiting = 0;
  std::optional<TimePoint> opens_at;  // the latest opening set; nullopt: never
  bool sold_out = false;
};

struct UpdateLineCommand {
  std::optional<std::int64_t> capacity;  // validated by the caller's parser: 0..kMaxCapacity
  std::optional<bool> paused;
  // Present: set the opening; a null inner value opens the line now.
  std::optional<std::optional<TimePoint>> opens_at;
};

inline constexpr std::int64_t kMaxCapacity = 1'000'000;

// 32 bytes from a cryptographically secure source, for an opening's seed.
using SeedSource = std::function<Seed()>;

// The admin's live control of the line: read it, change capacity, pause it, set the opening.
class ManageLine {
 public:
  ManageLine(LineRepository& line, SeedSource seeds) : line_(line), seeds_(std::move(seeds)) {}

  LineControl Get();
  LineControl Update(const UpdateLineCommand& command);
  // What GET /api/v1/queue/opening publishes; nullopt when no opening was ever set.
  std::optional<PublishedOpening> Opening();

 private:
  LineRepository& line_;
  SeedSource seeds_;
};

}  // namespace queue
