# Installs vial from the build tree into a scratch prefix, then configures, builds and runs
# a consumer project that uses find_package(vial).
include(${CMAKE_CURRENT_LIST_DIR}/../install_prefix.cmake)
execute_process(COMMAND ${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/build
  -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_CXX_STANDARD=20
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "consumer configure failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build --verbose
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "consumer build failed:\n${out}")
endif()
# The compile and link lines a consumer gets: none of vial's own flags.
foreach(flag "-Werror" "-Wall" "-Wextra" "-fsanitize")
  string(FIND "${out}" "${flag}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "the consumer's build lines carry ${flag}, inherited from vial:\n${out}")
  endif()
endforeach()
# consumer_full links the installed library itself, not headers from the source tree.
string(FIND "${out}" "${WORK_DIR}/prefix/" at)
if(at EQUAL -1)
  message(FATAL_ERROR "the consumer did not use the installed vial under ${WORK_DIR}/prefix:\n${out}")
endif()
string(REGEX MATCH "[^ ]*libvial\\.(a|so)[^ ]*" library "${out}")
if(NOT library MATCHES "^${WORK_DIR}/prefix/")
  message(FATAL_ERROR "consumer_full does not link the installed libvial (found '${library}'):\n${out}")
endif()
foreach(program consumer consumer_full)
  execute_process(COMMAND ${WORK_DIR}/build/${program} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${program} ran and failed: ${rc}")
  endif()
endforeach()
message(STATUS "consumer_full linked ${library}")
message(STATUS "consumer found vial with find_package and ran")
