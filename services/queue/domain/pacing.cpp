#include "pacing.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace queue {

namespace {
std::int64_t within(std::int64_t seconds, std::int64_t ceiling) {
  return std::clamp<std::int64_t>(seconds, 1, std::max<std::int64_t>(1, ceiling));
}

// FNV-1a over the value, then splitmix64's finaliser: every bit of the token moves every bit.
std::uint64_t mix(std::string_view token, std::uint64_t salt) {
  std::uint64_t hash = 0xcbf29ce484222325ULL ^ salt;
  for (unsigned char c : token) hash = (hash ^ c) * 0x100000001b3ULL;
  hash = (hash ^ (hash >> 30)) * 0xbf58476d1ce4e5b9ULL;
  hash = (hash ^ (hash >> 27)) * 0x94d049bb133111ebULL;
  return hash ^ (hash >> 31);
}
}  // namespace

std::int64_t poll_ceiling(std::int64_t poll_max_seconds, std::int64_t abandon_seconds) {
  // The largest whole number strictly below abandon / 3.
  const std::int64_t below_third = abandon_seconds > 0 ? (abandon_seconds - 1) / 3 : 0;
  return std::max<std::int64_t>(0, std::min(poll_max_seconds, below_third));
}

double pacing_share(std::string_view token, PacingShare which) {
  const auto bits = mix(token, static_cast<std::uint64_t>(which) + 1) >> 11;  // 53 bits
  return static_cast<double>(bits) / static_cast<double>(std::uint64_t{1} << 53);
}

std::int64_t token_poll_ceiling(std::int64_t ceiling, std::string_view token) {
  const auto top = std::max<std::int64_t>(1, ceiling);
  const auto cuts = (top + 3) / 4;  // 0 .. cuts-1 seconds off: down to about 3/4 of the top
  const auto cut = static_cast<std::int64_t>(pacing_share(token, PacingShare::ceiling_cut) *
                                             static_cast<double>(cuts));
  return top - std::min(cut, cuts - 1);
}

std::int64_t poll_after_seconds(std::int64_t position, std::int64_t estimated_wait_seconds,
                                std::int64_t ceiling) {
  const auto by_position =
      static_cast<std::int64_t>(std::ceil(std::sqrt(static_cast<double>(std::max<std::int64_t>(
          1, position)))));
  const auto by_wait = (std::max<std::int64_t>(0, estimated_wait_seconds) + 2) / 3;
  return within(std::min(by_position, by_wait), ceiling);
}

std::int64_t poll_after_seconds_before_draw(TimePoint opens_at, TimePoint now,
                                            std::int64_t ceiling, std::string_view token) {
  using std::chrono::milliseconds;
  // The token's own ceiling as its period: once placed far back it keeps the same rhythm, so
  // the draw does not bunch the crowd up.
  const std::int64_t window_ms = token_poll_ceiling(ceiling, token) * 1000;
  const auto offset_ms = std::min(
      window_ms - 1, static_cast<std::int64_t>(pacing_share(token, PacingShare::return_slot) *
                                               static_cast<double>(window_ms)));
  const auto to_first_slot =
      std::chrono::ceil<milliseconds>(opens_at - now).count() + offset_ms;
  // The next slot strictly after now: in (0, window].
  auto to_next_slot = ((to_first_slot % window_ms) + window_ms) % window_ms;
  if (to_next_slot == 0) to_next_slot = window_ms;
  return within((to_next_slot + 999) / 1000, ceiling);
}

}  // namespace queue
