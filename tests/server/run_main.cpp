// A minimal program around vial::run, run by serve_test in a child process: /boom throws.
#include <vial/vial.hpp>

#include <stdexcept>
#include <string>

namespace {

std::string boom() { throw std::runtime_error("kaput"); }

constexpr auto app = vial::app(vial::get<"/boom", boom>());

}  // namespace

int main(int argc, char** argv) { return vial::run(app, argc, argv); }
