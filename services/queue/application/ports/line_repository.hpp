#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/line.hpp"
#include "domain/token.hpp"

namespace queue {

struct AdmissionPolicy {
  std::chrono::seconds token_ttl;
  std::chrono::seconds abandon_after;
};

struct AdmissionReport {
  std::int64_t expired = 0;
  std::int64_t dropped = 0;
  std::int64_t admitted = 0;
  std::int64_t drawn = -1;  // early tokens placed by this pass's draw; -1: no draw was due
};

struct DroppedPlace {
  std::int64_t sequence;  // increases with every drop, so replicas read only what is new
  std::int64_t place;
};

struct LineStatus {
  LineSettings settings;
  LineCounters counters;
  std::vector<DroppedPlace> new_drops;  // dropped after `since`, with place above served
  LineOpening opening;
  std::optional<SeatCounts> seats;  // nullopt: unknown (never asked, or not answered)
};

using Seed = std::array<std::uint8_t, 32>;

// What GET /api/v1/queue/opening publishes of the latest opening.
struct PublishedOpening {
  TimePoint opens_at;
  std::string seed_sha256;          // hex
  std::int64_t early_count = 0;
  std::optional<std::string> seed;  // hex, once the draw is made
};

// The line as a whole: settings, counters, the periodic admission pass and poll heartbeats.
class LineRepository {
 public:
  virtual ~LineRepository() = default;

  // Creates the line on first start; capacity follows `default_capacity` until an admin sets it.
  virtual void initialise(std::int64_t default_capacity) = 0;
  virtual LineSettings update_settings(std::optional<std::int64_t> capacity,
                                       std::optional<bool> paused) = 0;
  // Under the line's lock, after a due draw: moves a pending opening to `opens_at` (its seed
  // kept, so nobody can draw again after seeing who came); starts a new opening with
  // `fresh_seed` when none is pending; nullopt opens a pending opening now.
  virtual void set_opening(std::optional<TimePoint> opens_at, const Seed& fresh_seed) = 0;
  // The latest opening ever set, nullopt if none.
  virtual std::optional<PublishedOpening> opening() = 0;
  virtual LineStatus status(std::int64_t drops_since) = 0;
  // What the concert service said about the seats at `seen_at` (nullopt: unknown), for every
  // replica's admission and token states.
  virtual void record_seats(const std::optional<SeatCounts>& seats, TimePoint seen_at) = 0;
  // Marks these WAITING tokens as polled at `now` (batched heartbeats).
  virtual void record_polls(const std::vector<std::string>& token_values, TimePoint now) = 0;
  // One pass, serialised across replicas: make the opening's draw when due, expire lapsed ACTIVE
  // tokens, drop abandoned WAITING ones, admit waiting tokens in order of place up to the
  // capacity.
  virtual AdmissionReport admit(const AdmissionPolicy& policy) = 0;
};

}  // namespace queue
