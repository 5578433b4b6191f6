# Runs one compile-fail case; see CMakeLists.txt beside it.
#
#   cmake -DCXX=<compiler> -DINCLUDE_DIR=<repo>/include -DSOURCE=<case>.cpp -DMODE=fail|control
#         -P check.cmake
#
# The case file holds:
#   // EXPECT: <regex>   what the first error line must contain (CMake regex syntax)
#   // ERRORS: <n>       optional: how many "error:" lines the mistake gives (default 1)
#   #ifdef VIAL_CONTROL  the same code with the mistake fixed
#   #else                the mistake
#   #endif
#
# MODE=fail passes when the compile fails, its first "error:" line matches EXPECT and is a
# vial message ("vial: "), and the output holds exactly ERRORS "error:" lines.
# MODE=control passes when the file compiles with -DVIAL_CONTROL, without warnings.

foreach(var IN ITEMS CXX INCLUDE_DIR SOURCE MODE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check.cmake: -D${var}=... is required")
  endif()
endforeach()

file(STRINGS ${SOURCE} expect_lines REGEX "^// EXPECT: ")
file(STRINGS ${SOURCE} error_count_lines REGEX "^// ERRORS: [0-9]+$")
list(LENGTH expect_lines expect_count)
if(NOT expect_count EQUAL 1)
  message(FATAL_ERROR "${SOURCE}: needs exactly one '// EXPECT: <regex>' line, has ${expect_count}")
endif()
string(REGEX REPLACE "^// EXPECT: " "" expect "${expect_lines}")
set(expected_errors 1)
if(error_count_lines)
  string(REGEX REPLACE "^// ERRORS: " "" expected_errors "${error_count_lines}")
endif()

set(command ${CXX} -std=c++20 -fsyntax-only -fdiagnostics-color=never -I${INCLUDE_DIR})
if(MODE STREQUAL "control")
  # The project's warnings; a fragment may declare a route it does not use (clang warns).
  list(APPEND command -DVIAL_CONTROL -Wall -Wextra -Werror -Wno-unused-const-variable)
endif()
list(APPEND command ${SOURCE})

execute_process(COMMAND ${command} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
list(JOIN command " " command_line)

if(MODE STREQUAL "control")
  if(NOT result EQUAL 0 OR NOT output STREQUAL "")
    message(NOTICE "${command_line}\n${output}")
    message(FATAL_ERROR "control did not compile cleanly (exit ${result})")
  endif()
  return()
elseif(NOT MODE STREQUAL "fail")
  message(FATAL_ERROR "check.cmake: MODE must be fail or control, not '${MODE}'")
endif()

if(result EQUAL 0)
  message(NOTICE "${command_line}\n${output}")
  message(FATAL_ERROR "the mistake compiled; expected an error matching: ${expect}")
endif()

# The lines that report an error. ';' is CMake's list separator, and vial's messages use it.
string(REPLACE ";" "<semicolon>" listable "${output}")
string(REGEX MATCHALL "(^|\n)([^\n]*: )?(fatal )?error: [^\n]*" error_lines "${listable}")
list(LENGTH error_lines error_count)
if(error_count EQUAL 0)
  message(NOTICE "${command_line}\n${output}")
  message(FATAL_ERROR "the compile failed without an 'error:' line")
endif()
list(GET error_lines 0 first_error)
string(REPLACE "<semicolon>" ";" first_error "${first_error}")
string(STRIP "${first_error}" first_error)

set(problems "")
if(NOT first_error MATCHES "vial: ")
  string(APPEND problems "- the first error is not a vial message\n")
endif()
if(NOT first_error MATCHES "${expect}")
  string(APPEND problems "- the first error does not match EXPECT: ${expect}\n")
endif()
if(NOT error_count EQUAL expected_errors)
  string(APPEND problems "- ${error_count} error lines, expected ${expected_errors}\n")
endif()
if(NOT problems STREQUAL "")
  message(NOTICE "${command_line}\n${output}")
  message(FATAL_ERROR "${problems}first error: ${first_error}")
endif()
