#include <gtest/gtest.h>
TEST(todo, conformance_test) {}
