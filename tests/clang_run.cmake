# Builds the router tests with clang++ and runs them: the router has code only clang compiles
# (dispatch() measures where its handlers lie at run time, where g++ knows it at compile time),
# so its behaviour is checked with clang too, not only its syntax.
foreach(source IN LISTS SOURCES)
  get_filename_component(name ${source} NAME_WE)
  set(exe ${WORK_DIR}/clang_${name})
  execute_process(
    COMMAND ${CLANG} -std=c++20 -Wall -Wextra -Werror -I${INCLUDE_DIR} ${source} -o ${exe}
      ${GTEST_MAIN} ${GTEST} -pthread
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "clang++ could not build ${source}:\n${out}")
  endif()
  execute_process(COMMAND ${exe} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${source} built with clang++ fails:\n${out}")
  endif()
  message(STATUS "built with clang++, ${source} passes")
endforeach()
