#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ticketing::db::testing {

// A name unique across processes and runs: prefix_<pid>_<counter>_<random>, lowercase, <= 63.
std::string unique_name(std::string_view prefix);

// A throwaway database on the test cluster named by TICKETING_TEST_PG (a superuser connection
// string), created on construction and dropped (WITH (FORCE)) on destruction together with any
// roles made through unique_role().
class TempDatabase {
 public:
  // Throws std::runtime_error when TICKETING_TEST_PG is unset: database tests must not pass
  // by skipping.
  TempDatabase();
  ~TempDatabase();
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;

  // Superuser connection string to this database.
  std::string admin_url() const;
  // Same host, port and database, as `role` with `password`.
  std::string url_for(std::string_view role, std::string_view password) const;
  std::string name() const { return name_; }

  // A fresh cluster-wide role name (roles outlive databases), dropped with this database.
  std::string unique_role(std::string_view prefix);

 private:
  std::string server_url_;  // TICKETING_TEST_PG as given
  std::string name_;
  std::vector<std::string> roles_;
};

}  // namespace ticketing::db::testing
