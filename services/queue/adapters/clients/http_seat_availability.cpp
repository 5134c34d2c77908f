#include "http_seat_availability.hpp"

#include <rapidjson/document.h>

#include <string>

namespace queue {

std::optional<SeatCounts> parse_seat_counts(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  const auto available = doc.FindMember("available");
  const auto held = doc.FindMember("held");
  if (available == doc.MemberEnd() || held == doc.MemberEnd() || !available->value.IsInt64() ||
      !held->value.IsInt64() || available->value.GetInt64() < 0 || held->value.GetInt64() < 0) {
    return std::nullopt;
  }
  return SeatCounts{available->value.GetInt64(), held->value.GetInt64()};
}

HttpSeatAvailability::HttpSeatAvailability(ticketing::http::ClientOptions options,
                                           const ticketing::log::Logger& logger)
    : client_(std::move(options)), logger_(logger) {}

std::optional<SeatCounts> HttpSeatAvailability::counts() {
  const auto reply = client_.send(ticketing::http::Method::get, "/internal/v1/availability");
  std::string why;
  std::optional<SeatCounts> counts;
  if (!reply) {
    why = std::string(ticketing::http::describe(reply.error()));
  } else if (reply->status != 200) {
    why = "HTTP " + std::to_string(reply->status);
  } else if (!(counts = parse_seat_counts(reply->body))) {
    why = "a body outside the contract";
  }
  if (!counts && !failing_.exchange(true)) {
    logger_.warn("seat_availability_unknown", [&](auto& w) {
      w.field("error", why).field("effect", "admitting as if seats were left");
    });
  } else if (counts && failing_.exchange(false)) {
    logger_.info("seat_availability_known_again");
  }
  return counts;
}

}  // namespace queue
