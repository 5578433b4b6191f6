# Compiles the router tests, the app pipeline test, the examples and the sources of the vial
# library with clang++ (syntax only), so the headers keep working with clang 14 as well as
# g++ 12.
foreach(source IN LISTS SOURCES)
  execute_process(
    COMMAND ${CLANG} -std=c++20 -fsyntax-only -Wall -Wextra -Werror -I${INCLUDE_DIR} ${source}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "clang++ rejects ${source}:\n${out}")
  endif()
  message(STATUS "clang++ accepts ${source}")
endforeach()
