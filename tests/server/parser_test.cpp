#include <gtest/gtest.h>
TEST(todo, parser_test) {}
