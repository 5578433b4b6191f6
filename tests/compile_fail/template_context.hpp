// The context and app of the template compile-fail cases (template_*.cpp): a page with a
// title, a count and reviews, and one route with two int parameters.
#ifndef VIAL_TESTS_COMPILE_FAIL_TEMPLATE_CONTEXT_HPP
#define VIAL_TESTS_COMPILE_FAIL_TEMPLATE_CONTEXT_HPP

#include <vial/route.hpp>
#include <vial/template.hpp>

#include <boost/hana/define_struct.hpp>

#include <string>
#include <vector>

struct review {
    BOOST_HANA_DEFINE_STRUCT(review, (int, id), (std::string, author), (int, rating));
};
struct page {
    BOOST_HANA_DEFINE_STRUCT(page, (std::string, title), (int, count), (std::vector<review>, reviews));
};

std::string show_review(int book_id, int review_id);
constexpr auto app = vial::app(vial::get<"/books/<int:book_id>/reviews/<int:review_id>", show_review>());

#endif
