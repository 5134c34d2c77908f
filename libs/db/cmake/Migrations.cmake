# ticketing_add_migrations(NAME <target> DIR <dir> FUNCTION <qualified::name>): embeds every
# <dir>/NNN_description.sql, in version order, behind `<qualified::name>()` in <target>.hpp.
set(TICKETING_EMBED_MIGRATIONS_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/EmbedMigrations.cmake"
    CACHE INTERNAL "script behind ticketing_add_migrations")

function(ticketing_add_migrations)
  cmake_parse_arguments(M "" "NAME;DIR;FUNCTION" "" ${ARGN})
  if(NOT M_NAME OR NOT M_DIR OR NOT M_FUNCTION)
    message(FATAL_ERROR "ticketing_add_migrations: NAME, DIR and FUNCTION are required")
  endif()
  if(NOT M_FUNCTION MATCHES "^(::)?[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*$")
    message(FATAL_ERROR "ticketing_add_migrations: FUNCTION '${M_FUNCTION}' is not a C++ qualified name")
  endif()
  get_filename_component(dir "${M_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  file(GLOB sql_files CONFIGURE_DEPENDS "${dir}/*.sql")
  list(SORT sql_files)
  if(NOT sql_files)
    message(FATAL_ERROR "ticketing_add_migrations: no .sql files in ${dir}")
  endif()
  set(seen_versions "")
  foreach(file IN LISTS sql_files)
    get_filename_component(base "${file}" NAME)
    if(NOT base MATCHES "^([0-9]+)_([A-Za-z0-9_-]+)\\.sql$")
      message(FATAL_ERROR "ticketing_add_migrations: ${file}: name must be NNN_description.sql")
    endif()
    math(EXPR version "${CMAKE_MATCH_1}")  # drops leading zeros
    if(version IN_LIST seen_versions)
      message(FATAL_ERROR "ticketing_add_migrations: version ${version} appears twice in ${dir}")
    endif()
    list(APPEND seen_versions ${version})
  endforeach()

  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/${M_NAME}_generated")
  set(header "${out_dir}/${M_NAME}.hpp")
  set(source "${out_dir}/${M_NAME}.cpp")
  # A list cannot cross COMMAND arguments intact: join with '|', which paths here do not contain.
  string(REPLACE ";" "|" files_arg "${sql_files}")
  add_custom_command(
    OUTPUT "${header}" "${source}"
    COMMAND "${CMAKE_COMMAND}" "-DNAME=${M_NAME}" "-DFUNCTION=${M_FUNCTION}" "-DOUT_DIR=${out_dir}"
            "-DFILES=${files_arg}" -P "${TICKETING_EMBED_MIGRATIONS_SCRIPT}"
    DEPENDS ${sql_files} "${TICKETING_EMBED_MIGRATIONS_SCRIPT}"
    COMMENT "Embedding migrations of ${dir} into ${M_NAME}"
    VERBATIM)
  add_library(${M_NAME} STATIC "${source}" "${header}")
  target_include_directories(${M_NAME} PUBLIC "${out_dir}")
  target_link_libraries(${M_NAME} PUBLIC ticketing::db PRIVATE ticketing::options)
endfunction()
