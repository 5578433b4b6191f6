# Empties WORK_DIR and installs vial from the build tree BINARY_DIR into WORK_DIR/prefix: what
# the find_package tests build against (consumer/run.cmake, examples/tutorial_project.cmake).
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${WORK_DIR}/prefix
  RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "install failed")
endif()
