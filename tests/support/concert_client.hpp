#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "service_client.hpp"

namespace test_support {

// The concert service's operations (public, admin and internal), each answering the raw reply.
// The _raw forms send a body as it is.
class ConcertClient : public ServiceClient {
 public:
  using ServiceClient::ServiceClient;

  // POST /api/v1/admin/concerts, with the tests' admin key unless `headers` say otherwise.
  Reply create_concert(const std::string& title, std::int64_t price,
                       const std::vector<std::string>& dates) const;
  Reply create_concert_raw(std::string_view body, const Headers& headers = admin_key()) const;

  Reply list_dates(const Caller& caller) const;
  Reply list_seats(const Caller& caller, std::string_view date) const;
  Reply reserve(const Caller& caller, const std::string& date, int seat_no) const;
  Reply reserve_raw(const Caller& caller, std::string_view body) const;
  // GET and DELETE /api/v1/reservations/{id}; the text form sends any id.
  Reply reservation(const Caller& caller, std::string_view id) const;
  Reply reservation(const Caller& caller, std::int64_t id) const;
  Reply cancel(const Caller& caller, std::string_view id) const;
  Reply cancel(const Caller& caller, std::int64_t id) const;

  // The internal API the payment service calls.
  Reply internal_reservation(std::string_view id) const;
  Reply internal_reservation(std::int64_t id) const;
  Reply confirm(std::int64_t id, const std::string& payment_id) const;
  Reply confirm_raw(std::string_view id, std::string_view body) const;
  Reply reservation_of_payment(std::string_view payment_id) const;
};

// The bodies of POST /api/v1/admin/concerts and POST /api/v1/reservations.
std::string concert_body(const std::string& title, std::int64_t price,
                         const std::vector<std::string>& dates);
std::string reserve_body(const std::string& date, int seat_no);

}  // namespace test_support
