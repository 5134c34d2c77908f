#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>

#include "application/clock.hpp"
#include "application/ports/line_repository.hpp"
#include "application/ports/token_repository.hpp"

namespace queue {

// Tokens, users and the line in process memory, behind one mutex: the reference behaviour of
// the ports for use-case tests.
class InMemoryQueueStore final : public TokenRepository,
                                 public UserRepository,
                                 public LineRepository {
 public:
  explicit InMemoryQueueStore(ClockFn clock) : clock_(std::move(clock)) {}

  void find(std::string token_value, FindCallback done) override;
  void issue(const IssueRequest& request, IssueCallback done) override;
  std::optional<Token> expire(std::string_view token_value) override;

  bool exists(std::string_view user_id) override;

  void initialise(std::int64_t default_capacity) override;
  LineSettings update_settings(std::optional<std::int64_t> capacity,
                               std::optional<bool> paused) override;
  // Keeps the opening time and publishes it; the draw itself needs PostgreSQL (its sha256), so
  // this store never makes early tokens: its line is always open.
  void set_opening(std::optional<TimePoint> opens_at, const Seed& fresh_seed) override;
  std::optional<PublishedOpening> opening() override;
  LineStatus status(std::int64_t drops_since) override;
  void record_seats(const std::optional<SeatCounts>& seats, TimePoint seen_at) override;
  void record_polls(const std::vector<std::string>& token_values, TimePoint now) override;
  AdmissionReport admit(const AdmissionPolicy& policy) override;

  // For tests: when a token was last polled.
  std::optional<TimePoint> last_polled(std::string_view token_value);

 private:
  IssueResult issue_now(const IssueRequest& request);

  struct Row {
    Token token;
    TimePoint last_polled;
  };
  void end(Row& row, TokenStatus status);

  ClockFn clock_;
  std::mutex mutex_;
  std::set<std::string, std::less<>> users_;
  std::unordered_map<std::string, Row> tokens_;
  std::map<std::int64_t, std::string> waiting_by_place_;
  std::unordered_map<std::string, std::string> live_by_user_;
  std::vector<DroppedPlace> drops_;
  LineSettings settings_;
  bool capacity_set_by_admin_ = false;
  LineCounters counters_;
  std::optional<TimePoint> opens_at_;
  std::optional<SeatCounts> seats_;
};

}  // namespace queue
