#include "concert_client.hpp"

namespace test_support {

std::string concert_body(const std::string& title, std::int64_t price,
                         const std::vector<std::string>& dates) {
  std::string body =
      R"({"title":")" + title + R"(","price":)" + std::to_string(price) + R"(,"dates":[)";
  for (std::size_t i = 0; i < dates.size(); ++i) body += (i ? ",\"" : "\"") + dates[i] + "\"";
  return body + "]}";
}

std::string reserve_body(const std::string& date, int seat_no) {
  return R"({"date":")" + date + R"(","seatNo":)" + std::to_string(seat_no) + "}";
}

Reply ConcertClient::create_concert(const std::string& title, std::int64_t price,
                                    const std::vector<std::string>& dates) const {
  return create_concert_raw(concert_body(title, price, dates));
}

Reply ConcertClient::create_concert_raw(std::string_view body, const Headers& headers) const {
  return send("POST", "/api/v1/admin/concerts", body, headers);
}

Reply ConcertClient::list_dates(const Caller& caller) const {
  return get("/api/v1/concerts/dates", as(caller));
}

Reply ConcertClient::list_seats(const Caller& caller, std::string_view date) const {
  return get("/api/v1/concerts/dates/" + std::string(date) + "/seats", as(caller));
}

Reply ConcertClient::reserve(const Caller& caller, const std::string& date, int seat_no) const {
  return reserve_raw(caller, reserve_body(date, seat_no));
}

Reply ConcertClient::reserve_raw(const Caller& caller, std::string_view body) const {
  return send("POST", "/api/v1/reservations", body, as(caller));
}

Reply ConcertClient::reservation(const Caller& caller, std::string_view id) const {
  return get("/api/v1/reservations/" + std::string(id), as(caller));
}

Reply ConcertClient::reservation(const Caller& caller, std::int64_t id) const {
  return reservation(caller, std::to_string(id));
}

Reply ConcertClient::cancel(const Caller& caller, std::string_view id) const {
  return send("DELETE", "/api/v1/reservations/" + std::string(id), {}, as(caller));
}

Reply ConcertClient::cancel(const Caller& caller, std::int64_t id) const {
  return cancel(caller, std::to_string(id));
}

Reply ConcertClient::internal_reservation(std::string_view id) const {
  return get("/internal/v1/reservations/" + std::string(id));
}

Reply ConcertClient::internal_reservation(std::int64_t id) const {
  return internal_reservation(std::to_string(id));
}

Reply ConcertClient::confirm(std::int64_t id, const std::string& payment_id) const {
  return confirm_raw(std::to_string(id), R"({"paymentId":")" + payment_id + R"("})");
}

Reply ConcertClient::confirm_raw(std::string_view id, std::string_view body) const {
  return send("POST", "/internal/v1/reservations/" + std::string(id) + "/confirm", body);
}

Reply ConcertClient::reservation_of_payment(std::string_view payment_id) const {
  return get("/internal/v1/payments/" + std::string(payment_id) + "/reservation");
}

}  // namespace test_support
