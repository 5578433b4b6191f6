# The template compile-fail cases with clang: clang prints a class template argument's
# characters as numbers, so vial reports there through a static_assert whose requirement
# names the error kind, line, column, file and name (see vial/template/diagnostics.hpp).
# For each tests/compile_fail/template_*.cpp whose EXPECT names "book.html:L:C", clang must
# fail with exactly one error, vial's, carrying ", L, C," and the file's characters.
#   cmake -DCLANG=clang++ -DINCLUDE_DIR=... -DCASES_DIR=... -P clang_diagnostics.cmake
file(GLOB cases ${CASES_DIR}/template_*.cpp)
set(failed "")
set(checked 0)
foreach(source IN LISTS cases)
  file(STRINGS ${source} expect REGEX "^// EXPECT: ")
  if(NOT expect MATCHES "book\\.html:([0-9]+):([0-9]+)")
    continue()
  endif()
  set(line ${CMAKE_MATCH_1})
  set(column ${CMAKE_MATCH_2})
  execute_process(COMMAND ${CLANG} -std=c++20 -fsyntax-only -fno-color-diagnostics -I${INCLUDE_DIR} ${source}
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  string(REPLACE ";" "<semicolon>" output "${output}")
  string(REGEX MATCHALL "error: [^\n]*" errors "${output}")
  list(LENGTH errors count)
  math(EXPR checked "${checked} + 1")
  if(result EQUAL 0 OR NOT count EQUAL 1 OR NOT output MATCHES "vial: template error<semicolon>"
     OR NOT output MATCHES "template_error::[a-z_]+, ${line}, ${column}, vial::detail::tpl::chars<'b', 'o', 'o', 'k'")
    string(APPEND failed "${source}: expected one vial error at ${line}:${column}, got ${count}:\n${errors}\n")
  endif()
endforeach()
if(checked EQUAL 0)
  message(FATAL_ERROR "no template compile-fail cases found in ${CASES_DIR}")
endif()
if(NOT failed STREQUAL "")
  message(FATAL_ERROR "${failed}")
endif()
message(STATUS "${checked} template diagnostics checked with clang")
