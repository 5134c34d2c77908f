# Warnings and sanitizers live on INTERFACE targets: our targets opt in, third-party code does not.
option(TICKETING_WARNINGS_AS_ERRORS "Treat warnings as errors in our code" ON)
option(TICKETING_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(TICKETING_FUZZ "Build the libFuzzer targets of tests/fuzz instead of the tests (clang only)" OFF)

add_library(ticketing_options INTERFACE)
add_library(ticketing::options ALIAS ticketing_options)
target_compile_options(ticketing_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
  $<$<BOOL:${TICKETING_WARNINGS_AS_ERRORS}>:-Werror>)
# GCC 12 reports false -Wrestrict positives inside libstdc++ at -O3 (GCC bug 105651).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(ticketing_options INTERFACE -Wno-restrict)
endif()

if(TICKETING_SANITIZE)
  target_compile_options(ticketing_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                     -fno-sanitize-recover=undefined)
  # Clang 14's -fsanitize=function breaks coroutines (LLVM issue 49689); GCC has no such check.
  target_compile_options(ticketing_options INTERFACE $<$<CXX_COMPILER_ID:Clang>:-fno-sanitize=function>)
  target_link_options(ticketing_options INTERFACE -fsanitize=address,undefined)
endif()

if(TICKETING_FUZZ)
  # Coverage feedback from our libraries too, not only from the fuzz targets' own files.
  target_compile_options(ticketing_options INTERFACE -fsanitize=fuzzer-no-link)
  # Recoverable, so tests/fuzz/ubsan.supp can let RapidJSON 1.1's stack.h (null + offset) pass.
  target_compile_options(ticketing_options INTERFACE -fsanitize-recover=pointer-overflow)
endif()

# Adds a Catch2 test executable linked to our options and registers each test case with ctest.
# Usage: ticketing_add_test(NAME name SOURCES a.cpp b.cpp LIBS lib... [LABELS label...])
function(ticketing_add_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ticketing::options ticketing::catch_main ${T_LIBS})
  # A name that matches no test must fail, never pass by running nothing.
  catch_discover_tests(${T_NAME} TEST_PREFIX "${T_NAME}: " EXTRA_ARGS --warn NoTests
                       PROPERTIES LABELS "${T_LABELS}")
endfunction()
