# Everything comes from Debian's packages; tests/run.sh and deploy/local/up.sh install them.
find_package(Threads REQUIRED)
find_package(Boost 1.81 REQUIRED CONFIG)
find_package(RapidJSON REQUIRED CONFIG)
find_package(Catch2 2 REQUIRED CONFIG)
find_package(PkgConfig REQUIRED)
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)

# RapidJSON's config exports variables only; wrap them in a target. SYSTEM keeps its warnings out.
add_library(rapidjson INTERFACE)
target_include_directories(rapidjson SYSTEM INTERFACE ${RAPIDJSON_INCLUDE_DIRS})
target_compile_definitions(rapidjson INTERFACE RAPIDJSON_HAS_STDSTRING=1)
# RapidJSON 1.1's iterators declare == one-sided, so clang's C++20 mode flags each comparison.
target_compile_options(rapidjson INTERFACE $<$<CXX_COMPILER_ID:Clang>:-Wno-ambiguous-reversed-operator>)
