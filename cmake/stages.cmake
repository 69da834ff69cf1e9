# One CMake target per stage (docs/architecture.md, "The library graph"), and the build-time check
# that a stage's files include headers only of its own folder and of the stages it declares.
#
#   platc_stage(<name> <folder> [FLAT] [BACKEND] [ANTLR] [OPTIONAL] [EXECUTABLE <target>]
#               [DEPS <stage>...])
#
# <folder>   the stage's files: every .cpp/.h/.def under it (only those directly in it with FLAT).
# DEPS       the stages whose headers the stage's own files may include: direct, not transitive
#            (policy depends on sema and sema on driver, but policy may not include driver's
#            headers). Each must be declared before, so the graph has no cycles. Linking follows
#            DEPS (PUBLIC, so linking is transitive; the include check is not).
# BACKEND    appends the stage to PLATC_BACKENDS (the registry and the CLI depend on all of them).
# ANTLR      links the generated parser; the only stage whose files may include ANTLR headers.
# OPTIONAL   the folder may have no files yet: the stage is then skipped, dropped from its
#            dependents' link lines, and wired by itself once files appear (the globs are
#            CONFIGURE_DEPENDS).
# EXECUTABLE the stage is this executable instead of the library platc_<name>.
#
# Each stage gets a custom target platc_layering_<name> running cmake/check_layering.py on the
# stage's files against ${PLATC_STAGE_TABLE} (written by platc_stages_done); the stage's target
# depends on it, so an include across the layering fails the build before anything compiles.

find_package(Python3 COMPONENTS Interpreter REQUIRED)

set(PLATC_STAGE_TABLE ${CMAKE_BINARY_DIR}/layering/stages.json)
set(PLATC_LAYERING_CHECKER ${CMAKE_SOURCE_DIR}/cmake/check_layering.py)
set(PLATC_SOURCE_EXTENSIONS cpp h def)
set(PLATC_BACKENDS "")
set(PLATC_STAGE_LIBRARIES "")  # every stage library that exists: what the unit tests link
set(PLATC_STAGES "")

function(platc_stage name dir)
  cmake_parse_arguments(ARG "FLAT;BACKEND;ANTLR;OPTIONAL" "EXECUTABLE" "DEPS" ${ARGN})
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "platc_stage(${name}): unexpected ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(name IN_LIST PLATC_STAGES)
    message(FATAL_ERROR "platc_stage(${name}): declared twice")
  endif()
  foreach(dep IN LISTS ARG_DEPS)
    if(NOT dep IN_LIST PLATC_STAGES)
      message(FATAL_ERROR "platc_stage(${name}): DEPS ${dep} is not a stage declared before it")
    endif()
  endforeach()

  set(patterns "")
  foreach(ext IN LISTS PLATC_SOURCE_EXTENSIONS)
    list(APPEND patterns ${CMAKE_SOURCE_DIR}/${dir}/*.${ext})
  endforeach()
  if(ARG_FLAT)
    file(GLOB files CONFIGURE_DEPENDS ${patterns})
  else()
    file(GLOB_RECURSE files CONFIGURE_DEPENDS ${patterns})
  endif()
  set(sources ${files})
  list(FILTER sources INCLUDE REGEX "\\.cpp$")

  set(present TRUE)
  if(NOT files)
    if(NOT ARG_OPTIONAL)
      message(FATAL_ERROR "platc_stage(${name}): no .cpp/.h under ${dir} (mark it OPTIONAL if it comes later)")
    endif()
    set(present FALSE)
  endif()

  # The row of the table the checker reads.
  set(flat false)
  set(antlr false)
  set(json_present false)
  if(ARG_FLAT)
    set(flat true)
  endif()
  if(ARG_ANTLR)
    set(antlr true)
  endif()
  if(present)
    set(json_present true)
  endif()
  list(JOIN ARG_DEPS "\", \"" deps_json)
  if(deps_json)
    set(deps_json "\"${deps_json}\"")
  endif()
  set_property(GLOBAL APPEND_STRING PROPERTY PLATC_STAGE_ROWS
    "    {\"name\": \"${name}\", \"dir\": \"${dir}\", \"flat\": ${flat}, \"antlr\": ${antlr}, \"present\": ${json_present}, \"deps\": [${deps_json}]},\n")
  set_property(GLOBAL APPEND PROPERTY PLATC_STAGE_FILES ${files})

  list(APPEND PLATC_STAGES ${name})
  set(PLATC_STAGES ${PLATC_STAGES} PARENT_SCOPE)
  set(PLATC_STAGE_${name}_PRESENT ${present} PARENT_SCOPE)
  if(ARG_BACKEND)
    list(APPEND PLATC_BACKENDS ${name})
    set(PLATC_BACKENDS ${PLATC_BACKENDS} PARENT_SCOPE)
  endif()
  if(NOT present)
    message(STATUS "platc: stage ${name} (${dir}) has no files yet: skipped")
    return()
  endif()

  set(link_deps "")
  foreach(dep IN LISTS ARG_DEPS)
    if(PLATC_STAGE_${dep}_PRESENT)
      list(APPEND link_deps platc_${dep})
    endif()
  endforeach()

  if(ARG_EXECUTABLE)
    set(target ${ARG_EXECUTABLE})
    add_executable(${target} ${sources})
    target_compile_options(${target} PRIVATE ${PLATC_WARNINGS})
    target_link_libraries(${target} PRIVATE ${link_deps})
  elseif(sources)
    set(target platc_${name})
    add_library(${target} STATIC ${sources})
    target_include_directories(${target} PUBLIC ${CMAKE_SOURCE_DIR})
    target_compile_options(${target} PRIVATE ${PLATC_WARNINGS})
    target_link_libraries(${target} PUBLIC ${link_deps} fmt::fmt nlohmann_json::nlohmann_json)
  else()  # headers only
    set(target platc_${name})
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${CMAKE_SOURCE_DIR})
    target_link_libraries(${target} INTERFACE ${link_deps} fmt::fmt nlohmann_json::nlohmann_json)
  endif()
  if(ARG_ANTLR)
    target_link_libraries(${target} PRIVATE plat_parser_gen)
  endif()
  if(NOT ARG_EXECUTABLE)
    list(APPEND PLATC_STAGE_LIBRARIES ${target})
    set(PLATC_STAGE_LIBRARIES ${PLATC_STAGE_LIBRARIES} PARENT_SCOPE)
  endif()

  set(stamp ${CMAKE_BINARY_DIR}/layering/${name}.stamp)
  add_custom_command(
    OUTPUT ${stamp}
    COMMAND ${Python3_EXECUTABLE} ${PLATC_LAYERING_CHECKER} --table ${PLATC_STAGE_TABLE}
            --root ${CMAKE_SOURCE_DIR} --stage ${name} --stamp ${stamp}
    DEPENDS ${files} ${PLATC_LAYERING_CHECKER} ${PLATC_STAGE_TABLE}
    COMMENT "Checking the includes of stage ${name} (${dir})"
    VERBATIM)
  add_custom_target(platc_layering_${name} DEPENDS ${stamp})
  add_dependencies(${target} platc_layering_${name})
endfunction()

# Compiles files into <stage>'s target: `const std::vector<EmbeddedFile>& <function>()`, declared in
# <header>. Files are named by their path relative to BASE when given, by their stem otherwise.
#   platc_embed(<stage> <function> <header> [BASE <dir>] FILES <file>...)
function(platc_embed stage function header)
  cmake_parse_arguments(ARG "" "BASE" "FILES" ${ARGN})
  set(out ${CMAKE_BINARY_DIR}/generated/${function}.cpp)
  # Lists travel as |-separated strings: a `;` on a custom command line would split the argument.
  string(REPLACE ";" "|" files_arg "${ARG_FILES}")
  set(base_arg "")
  if(ARG_BASE)
    set(base_arg -DBASE=${ARG_BASE})
  endif()
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DHEADER=${header} -DFUNCTION=${function}
            -DFILES=${files_arg} ${base_arg} -P ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
    DEPENDS ${ARG_FILES} ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
    COMMENT "Embedding ${function}() into stage ${stage}"
    VERBATIM)
  target_sources(platc_${stage} PRIVATE ${out})
endfunction()

# After the last platc_stage: writes the stage table the checker reads, and fails the configure
# when a C++ file under a stage's top folder (compiler/, backends/, cli/) belongs to no stage or to
# two (stage folders do not nest, except a FLAT one above its neighbours' folders).
function(platc_stages_done)
  get_property(rows GLOBAL PROPERTY PLATC_STAGE_ROWS)
  string(REGEX REPLACE ",\n$" "\n" rows "${rows}")
  file(WRITE ${PLATC_STAGE_TABLE}.tmp "{\n  \"generated_by\": \"cmake/stages.cmake from CMakeLists.txt; do not edit\",\n  \"stages\": [\n${rows}  ]\n}\n")
  file(COPY_FILE ${PLATC_STAGE_TABLE}.tmp ${PLATC_STAGE_TABLE} ONLY_IF_DIFFERENT)

  get_property(owned GLOBAL PROPERTY PLATC_STAGE_FILES)
  set(twice ${owned})
  list(REMOVE_DUPLICATES twice)
  list(LENGTH owned n_owned)
  list(LENGTH twice n_unique)
  if(NOT n_owned EQUAL n_unique)
    message(FATAL_ERROR "platc: a file belongs to two stages: stage folders nest")
  endif()
  set(patterns "")
  get_property(rows_dirs GLOBAL PROPERTY PLATC_STAGE_ROWS)
  string(REGEX MATCHALL "\"dir\": \"[^/\"]+" tops "${rows_dirs}")
  list(TRANSFORM tops REPLACE "\"dir\": \"" "")
  list(REMOVE_DUPLICATES tops)
  foreach(top IN LISTS tops)
    foreach(ext IN LISTS PLATC_SOURCE_EXTENSIONS)
      list(APPEND patterns ${CMAKE_SOURCE_DIR}/${top}/*.${ext})
    endforeach()
  endforeach()
  file(GLOB_RECURSE all CONFIGURE_DEPENDS ${patterns})
  foreach(f IN LISTS all)
    if(NOT f IN_LIST owned)
      file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR} ${f})
      message(FATAL_ERROR "platc: ${rel} belongs to no stage: add a platc_stage line for its folder to CMakeLists.txt")
    endif()
  endforeach()
endfunction()
