# Lists every header that <vial/vial.hpp> and each public header an app includes pull in, and
# fails when one of them belongs to Boost.Beast or Boost.Asio: those are compiled once into the
# vial library (src/), so an app's files never parse them. <vial/http/raw.hpp>, which exposes
# the Beast messages on purpose, and the detail/ headers the library is built from are the
# exceptions.
file(GLOB_RECURSE public_headers RELATIVE ${INCLUDE_DIR} ${INCLUDE_DIR}/vial/*.hpp)
list(FILTER public_headers EXCLUDE REGEX "/detail/")
list(REMOVE_ITEM public_headers vial/http/raw.hpp)
list(LENGTH public_headers count)
if(count LESS 20)
  message(FATAL_ERROR "expected vial's public headers, found ${count}")
endif()
foreach(header vial/vial.hpp ${public_headers})
  string(MAKE_C_IDENTIFIER "${header}" id)
  set(source ${OUT_DIR}/beast_free_${id}.cpp)
  file(WRITE ${source} "#include <${header}>\n")
  execute_process(
    COMMAND ${COMPILER} -std=c++20 -I${INCLUDE_DIR} -M ${source}
    OUTPUT_VARIABLE deps ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "could not preprocess <${header}>:\n${err}")
  endif()
  foreach(forbidden "boost/beast" "boost/asio")
    string(FIND "${deps}" "/${forbidden}/" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "<${header}> includes ${forbidden}: an app's headers must not; keep it in src/ "
        "(the vial library) or behind <vial/http/raw.hpp>")
    endif()
  endforeach()
endforeach()
message(STATUS "<vial/vial.hpp> and ${count} public headers: none includes Beast or Asio")
