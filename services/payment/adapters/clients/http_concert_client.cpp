#include "adapters/clients/http_concert_client.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <utility>

#include "ticketing/errors.hpp"

namespace payment {

using ticketing::http::Method;

namespace {

// The concert service accepts reservation ids of 1 to 18 digits; anything else names no
// reservation, so there is nothing to ask.
constexpr std::int64_t kMaxReservationId = 999'999'999'999'999'999;
bool plausible_id(std::int64_t id) { return id > 0 && id <= kMaxReservationId; }

std::string reservation_path(std::int64_t id) {
  return "/internal/v1/reservations/" + std::to_string(id);
}

std::string confirm_body(std::string_view payment_id) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("paymentId");
  writer.String(payment_id.data(), static_cast<rapidjson::SizeType>(payment_id.size()));
  writer.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

std::optional<HoldState> parse_state(std::string_view status) {
  if (status == "HELD") return HoldState::held;
  if (status == "CONFIRMED") return HoldState::confirmed;
  if (status == "EXPIRED") return HoldState::expired;
  if (status == "CANCELLED") return HoldState::cancelled;
  return std::nullopt;
}

// The refusal a status must carry to count as one: a 404 from a route the peer lacks (an old
// version, a misrouted proxy) says nothing about the reservation.
bool is_refusal(int status, std::string_view code) {
  switch (status) {
    case 410:
      return code == "RESERVATION_EXPIRED";
    case 409:
      return code == "RESERVATION_CANCELLED" || code == "ALREADY_CONFIRMED";
    case 404:
      return code == "RESERVATION_NOT_FOUND";
    default:
      return false;
  }
}

}  // namespace

ParsedReservation parse_reservation(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
  if (doc.HasParseError()) {
    return {std::nullopt,
            std::string("not JSON: ") + rapidjson::GetParseError_En(doc.GetParseError())};
  }
  if (!doc.IsObject()) return {std::nullopt, "not a JSON object"};

  const auto member = [&doc](const char* name) -> const rapidjson::Value* {
    const auto found = doc.FindMember(name);
    return found == doc.MemberEnd() ? nullptr : &found->value;
  };
  const auto* id = member("reservationId");
  const auto* user = member("userId");
  const auto* price = member("price");
  const auto* status = member("status");
  const auto* payment = member("paymentId");
  if (id == nullptr || !id->IsInt64()) return {std::nullopt, "'reservationId' is not an integer"};
  if (user == nullptr || !user->IsString()) return {std::nullopt, "'userId' is not a string"};
  if (price == nullptr || !price->IsInt64()) return {std::nullopt, "'price' is not an integer"};
  if (status == nullptr || !status->IsString()) return {std::nullopt, "'status' is not a string"};
  if (payment == nullptr || !(payment->IsString() || payment->IsNull())) {
    return {std::nullopt, "'paymentId' is neither a string nor null"};
  }
  const auto state = parse_state({status->GetString(), status->GetStringLength()});
  if (!state) return {std::nullopt, std::string("unknown 'status' ") + status->GetString()};

  ReservationView view;
  view.reservation_id = id->GetInt64();
  view.user_id.assign(user->GetString(), user->GetStringLength());
  view.price = price->GetInt64();
  view.state = *state;
  if (payment->IsString())
    view.payment_id.emplace(payment->GetString(), payment->GetStringLength());
  return {std::move(view), {}};
}

HttpConcertClient::HttpConcertClient(ticketing::http::ClientOptions options,
                                     RequestIdSource request_id,
                                     const ticketing::log::Logger* logger)
    : client_(std::move(options)), request_id_(std::move(request_id)), logger_(logger) {}

std::optional<ReservationView> HttpConcertClient::read(std::int64_t reservation_id) {
  if (!plausible_id(reservation_id)) return std::nullopt;
  const auto request_id = request_id_ ? request_id_() : std::string();
  const auto reply = client_.send(Method::get, reservation_path(reservation_id), {}, request_id);
  const auto unavailable = [&](const std::string& why) {
    return ticketing::DependencyUnavailable("concert service: reading reservation " +
                                            std::to_string(reservation_id) + ": " + why);
  };
  if (!reply) throw unavailable(peer::describe(reply));
  if (reply->status == 404 && peer::problem_code(reply->body) == "RESERVATION_NOT_FOUND") {
    return std::nullopt;
  }
  if (reply->status != 200) throw unavailable("unexpected " + peer::describe(reply));
  auto parsed = parse_reservation(reply->body);
  if (!parsed.view) throw unavailable("malformed 200 response: " + parsed.error);
  if (parsed.view->reservation_id != reservation_id) {
    throw unavailable("answered for reservation " + std::to_string(parsed.view->reservation_id));
  }
  return std::move(parsed.view);
}

ConfirmAnswer HttpConcertClient::confirm(std::int64_t reservation_id, std::string_view payment_id) {
  if (!plausible_id(reservation_id)) return ConfirmAnswer::refused;
  const auto request_id = request_id_ ? request_id_() : std::string();
  const auto reply = client_.send(Method::post, reservation_path(reservation_id) + "/confirm",
                                  confirm_body(payment_id), request_id);
  const auto unreachable = [&](const std::string& why) {
    if (logger_ != nullptr) {
      logger_->warn("concert_confirm_unanswered", [&](auto& w) {
        w.field("reservationId", reservation_id)
            .field("paymentId", payment_id)
            .field("requestId", request_id)
            .field("reason", why);
      });
    }
    return ConfirmAnswer::unreachable;
  };
  if (!reply) return unreachable(peer::describe(reply));
  if (reply->status == 200) {
    // A 200 must describe this reservation confirmed for this payment; anything else is a peer
    // fault, and "ask again later" is the only safe reading of it.
    auto parsed = parse_reservation(reply->body);
    if (!parsed.view) return unreachable("malformed 200 response: " + parsed.error);
    if (parsed.view->reservation_id != reservation_id ||
        parsed.view->state != HoldState::confirmed || parsed.view->payment_id != payment_id) {
      return unreachable("200 response does not show the reservation confirmed for this payment");
    }
    return ConfirmAnswer::confirmed;
  }
  if (is_refusal(reply->status, peer::problem_code(reply->body).value_or(""))) {
    return ConfirmAnswer::refused;
  }
  return unreachable("unexpected " + peer::describe(reply));
}

}  // namespace payment
