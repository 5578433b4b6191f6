# BookReviews' data layer (store.hpp), included by examples/bookreviews/CMakeLists.txt: SQLite,
# and PostgreSQL by URL when libpq is found (without it, store::open of a postgresql:// URL
# throws a clear store_error).
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL)
add_library(bookreviews_store STATIC ${CMAKE_CURRENT_LIST_DIR}/store.cpp ${CMAKE_CURRENT_LIST_DIR}/sqlite_store.cpp)
target_include_directories(bookreviews_store PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_compile_features(bookreviews_store PUBLIC cxx_std_20)
target_link_libraries(bookreviews_store PUBLIC Boost::headers Threads::Threads PRIVATE SQLite::SQLite3 vial_warnings)
if(PostgreSQL_FOUND)
  target_sources(bookreviews_store PRIVATE ${CMAKE_CURRENT_LIST_DIR}/postgresql_store.cpp)
  target_compile_definitions(bookreviews_store PRIVATE BOOKREVIEWS_HAVE_POSTGRESQL)
  target_link_libraries(bookreviews_store PRIVATE PostgreSQL::PostgreSQL)
endif()
if(VIAL_BUILD_TESTS)
  find_package(GTest REQUIRED)
  add_executable(bookreviews_store_test ${PROJECT_SOURCE_DIR}/tests/examples/bookreviews_store_test.cpp)
  target_link_libraries(bookreviews_store_test PRIVATE bookreviews_store vial_warnings GTest::gtest GTest::gtest_main)
  # The tests write version-1 databases themselves (sqlite3) to check the upgrade on open.
  target_link_libraries(bookreviews_store_test PRIVATE SQLite::SQLite3)
  # Every case on a temporary SQLite file; on PostgreSQL too when VIAL_TEST_POSTGRES_URL is set.
  add_test(NAME bookreviews_store_test COMMAND bookreviews_store_test)
  # The PostgreSQL tables of version 1, a file the deployment test reads too.
  target_compile_definitions(bookreviews_store_test PRIVATE
    BOOKREVIEWS_SCHEMA_1_POSTGRESQL="${PROJECT_SOURCE_DIR}/tests/examples/bookreviews_schema_1_postgresql.sql")
  # The same sources without libpq, as a machine without libpq-dev builds them.
  add_executable(bookreviews_store_without_postgresql_test
    ${PROJECT_SOURCE_DIR}/tests/examples/bookreviews_store_without_postgresql_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/store.cpp ${CMAKE_CURRENT_LIST_DIR}/sqlite_store.cpp)
  target_include_directories(bookreviews_store_without_postgresql_test PRIVATE ${CMAKE_CURRENT_LIST_DIR})
  target_compile_features(bookreviews_store_without_postgresql_test PRIVATE cxx_std_20)
  target_link_libraries(bookreviews_store_without_postgresql_test PRIVATE
    Boost::headers Threads::Threads SQLite::SQLite3 vial_warnings GTest::gtest GTest::gtest_main)
  add_test(NAME bookreviews_store_without_postgresql_test COMMAND bookreviews_store_without_postgresql_test)
  if(PostgreSQL_FOUND)
    target_compile_definitions(bookreviews_store_test PRIVATE BOOKREVIEWS_TEST_POSTGRESQL)
    target_link_libraries(bookreviews_store_test PRIVATE PostgreSQL::PostgreSQL)
    # The same cases on a throwaway PostgreSQL cluster the script starts (initdb as an
    # unprivileged user) and always stops; skipped (77) where the server binaries are missing.
    add_test(NAME bookreviews_store_postgresql
      COMMAND ${PROJECT_SOURCE_DIR}/scripts/pg-cluster run $<TARGET_FILE:bookreviews_store_test> --gtest_filter=*postgresql*)
    set_tests_properties(bookreviews_store_postgresql PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
    # The app's black-box checks (tests/examples/bookreviews_blackbox.py: pages, sign-up and
    # in, reviews, the API, a restart) with --database on such a cluster instead of a file.
    find_package(Python3 REQUIRED COMPONENTS Interpreter)
    add_test(NAME example_bookreviews_blackbox_postgresql
      COMMAND ${PROJECT_SOURCE_DIR}/scripts/pg-cluster run sh -c
        "BOOKREVIEWS_BLACKBOX_DATABASE=\"$VIAL_TEST_POSTGRES_URL\" exec \"$0\" \"$@\""
        ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/examples/bookreviews_blackbox.py
        $<TARGET_FILE:bookreviews> ${CMAKE_CURRENT_LIST_DIR}/templates)
    set_tests_properties(example_bookreviews_blackbox_postgresql PROPERTIES TIMEOUT 600 SKIP_RETURN_CODE 77)
  endif()
endif()
