#include "issue_batch.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <unordered_map>

#include "rows.hpp"
#include "statements.hpp"

namespace queue::sql {
namespace {

struct KnownUser {
  std::optional<Token> live;  // the user's WAITING or ACTIVE token, lapsed or not
};

// The existing users among the requests' user ids, with their live tokens.
std::unordered_map<std::string, KnownUser> known_users(pqxx::work& txn,
                                                       const std::vector<IssueRequest>& requests) {
  std::vector<std::string> ids;
  for (const auto& request : requests) {
    if (request.user_id) ids.push_back(*request.user_id);
  }
  std::unordered_map<std::string, KnownUser> users;
  if (ids.empty()) return users;
  for (const auto& row : txn.exec_prepared("live_tokens_of", array_literal(ids))) {
    auto& user = users[row[0].as<std::string>()];
    if (!row[1].is_null()) user.live = token_from(row, 1);
  }
  return users;
}

}  // namespace

bool only_new_users(const std::vector<IssueRequest>& requests) {
  return std::none_of(requests.begin(), requests.end(),
                      [](const IssueRequest& request) { return request.user_id.has_value(); });
}

std::vector<IssueResult> issue_to_new_users(pqxx::nontransaction& txn,
                                            const std::vector<IssueRequest>& requests,
                                            const ClockFn& clock) {
  std::vector<std::string> users, values;
  users.reserve(requests.size());
  values.reserve(requests.size());
  for (const auto& request : requests) {
    users.push_back(request.new_user_id);
    values.push_back(request.token_value);
  }
  const auto ttl = requests.front().token_ttl;
  const auto rows = txn.exec_prepared(
      "issue_to_new_users", kLineLock, array_literal(users), array_literal(values), micros(clock()),
      std::chrono::duration_cast<std::chrono::microseconds>(ttl).count());
  if (rows.size() != requests.size())
    throw std::logic_error("issue_to_new_users: a row per request");

  std::vector<IssueResult> out;
  out.reserve(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const auto row = rows[static_cast<pqxx::result::size_type>(i)];
    Token token{requests[i].token_value, requests[i].new_user_id,
                token_status_from(row[0].as<std::string>()).value_or(TokenStatus::waiting),
                row[1].as<std::int64_t>(), std::nullopt, std::nullopt};
    if (!row[4].is_null()) token.arrival_number = row[4].as<std::int64_t>();
    if (token.status == TokenStatus::active) {
      token.expires_at = from_micros(row[3].as<std::int64_t>()) + ttl;
    }
    out.push_back(IssueOutcome{std::move(token), true, row[2].as<std::int64_t>()});
  }
  return out;
}

std::vector<IssueResult> issue_batch(pqxx::work& txn, const std::vector<IssueRequest>& requests,
                                     const ClockFn& clock) {
  std::vector<std::string> minted;
  for (const auto& request : requests) {
    if (!request.user_id) minted.push_back(request.new_user_id);
  }
  const auto line = line_from(txn.exec_prepared1("mint_users_and_lock_line", kLineLock,
                                                 array_literal(minted), micros(clock())));
  const TimePoint now = clock();
  auto users = known_users(txn, requests);

  // Lapsed ACTIVE tokens of returning users end now, so those users can be issued new ones.
  std::vector<std::string> lapsed;
  for (auto& [id, user] : users) {
    if (user.live && has_lapsed(*user.live, now)) {
      lapsed.push_back(user.live->value);
      user.live.reset();
    }
  }
  if (!lapsed.empty()) txn.exec_prepared("expire_tokens", array_literal(lapsed), micros(now));

  std::vector<std::optional<IssueResult>> results(requests.size());
  std::vector<std::size_t> creating;  // indexes of requests that get a new token
  std::unordered_map<std::string, std::size_t> created_for_user;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const auto& request = requests[i];
    if (!request.user_id) {
      creating.push_back(i);
      continue;
    }
    auto user = users.find(*request.user_id);
    if (user == users.end()) {
      results[i] = ticketing::fail(QueueError::user_not_found);
    } else if (user->second.live) {
      results[i] = IssueOutcome{*user->second.live, false, line.counters.served_place};
    } else if (!created_for_user.contains(*request.user_id)) {
      created_for_user[*request.user_id] = i;
      creating.push_back(i);
    }
  }

  const auto count = static_cast<std::int64_t>(creating.size());
  const auto admitted = admit_on_arrival(line.settings, line.counters, count);
  // While the opening is pending new tokens are early: an arrival number, no place until the draw.
  const bool early = line.opening.pending;
  std::vector<std::string> values, owners, statuses;
  std::vector<std::int64_t> places, arrivals;
  for (std::int64_t k = 0; k < count; ++k) {
    const auto& request = requests[creating[static_cast<std::size_t>(k)]];
    Token token{request.token_value, request.user_id.value_or(request.new_user_id),
                k < admitted ? TokenStatus::active : TokenStatus::waiting,
                early ? 0 : line.counters.last_place + k + 1, std::nullopt, std::nullopt};
    if (early) token.arrival_number = line.opening.early_count + k + 1;
    if (token.status == TokenStatus::active) token.expires_at = now + request.token_ttl;
    values.push_back(token.value);
    owners.push_back(token.user_id);
    statuses.emplace_back(to_string(token.status));
    places.push_back(token.place);
    arrivals.push_back(token.arrival_number.value_or(0));
    results[creating[static_cast<std::size_t>(k)]] = IssueOutcome{token, true, 0};
  }

  const auto served =
      admitted > 0 ? line.counters.last_place + admitted : line.counters.served_place;
  const auto lapsed_count = static_cast<std::int64_t>(lapsed.size());
  txn.exec_prepared("place_tokens", array_literal(values), array_literal(owners),
                    array_literal(places), array_literal(statuses), micros(now),
                    micros(now + requests.front().token_ttl), admitted - lapsed_count,
                    count - admitted, early ? 0 : count, served, admitted, lapsed_count,
                    early ? count : 0, array_literal(arrivals));

  // A user who asked twice in one batch gets the token made for the first request: copied in a
  // pass of its own, before any result is moved out.
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (!results[i]) {
      results[i] =
          IssueOutcome{results[created_for_user.at(*requests[i].user_id)]->value().token, false, 0};
    }
  }
  std::vector<IssueResult> out;
  out.reserve(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (results[i]->ok())
      results[i]->value().served_place = std::max(served, line.counters.served_place);
    out.push_back(std::move(*results[i]));
  }
  return out;
}

}  // namespace queue::sql
