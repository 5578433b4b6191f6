# The tutorial's folder is a user's project (docs/tutorial.md, step 0): install vial from the
# build tree into a scratch prefix, configure examples/tutorial against it with find_package,
# build its step 3 (templates through the installed vial_add_templates) and run it.
# Only step 3 is built: the other programs are built and tested inside vial's build.
include(${CMAKE_CURRENT_LIST_DIR}/../install_prefix.cmake)
execute_process(COMMAND ${CMAKE_COMMAND} -S ${TUTORIAL_DIR} -B ${WORK_DIR}/build
  -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_CXX_COMPILER=${CXX}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the tutorial's project does not configure against an installed vial:\n${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build --target tutorial_step3
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the tutorial's step 3 does not build against an installed vial:\n${out}")
endif()
execute_process(COMMAND ${WORK_DIR}/build/tutorial_step3 --routes
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "show_book +GET +/books/<int:book_id>")
  message(FATAL_ERROR "tutorial_step3 --routes failed (${rc}):\n${out}")
endif()
message(STATUS "the tutorial's project built against the vial installed in ${WORK_DIR}/prefix")
