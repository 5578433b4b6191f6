// The book page of BookReviews three ways: a vial template (bench/templates/templates, a base
// layout and a loop of 50 reviews with filters and url_for), the same bytes built by hand
// with std::string appends, and kainjow mustache (Debian's libkainjow-mustache-dev) on an
// equivalent template. jinja_book.py times Jinja2 on the same template files.
//
//   template_page --print=vial|hand|mustache   prints one page
//   template_page [benchmark flags]             runs the benchmarks (Google Benchmark)
#include <vial/route.hpp>
#include <vial/template.hpp>
#include <vial_templates/book_templates.hpp>

#include <benchmark/benchmark.h>
#include <boost/hana/define_struct.hpp>
#include <kainjow/mustache.hpp>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct book_info {
    BOOST_HANA_DEFINE_STRUCT(book_info, (int, id), (std::string, title), (std::string, author), (int, year), (double, average));
};
struct review {
    BOOST_HANA_DEFINE_STRUCT(review, (int, id), (std::string, user), (int, rating), (std::string, text));
};
struct book_page {
    BOOST_HANA_DEFINE_STRUCT(book_page, (book_info, book), (std::vector<review>, reviews));
};

std::string index() { return "index"; }
std::string search() { return "search"; }
std::string show_review(int, int) { return "review"; }
constexpr auto app = vial::app(vial::get<"/", "index">(index), vial::get<"/search", "search">(search),
                               vial::get<"/books/<int:book_id>/reviews/<int:review_id>", "review">(show_review));

/// The same data as jinja_book.py's data().
book_page make_page() {
    const char* words[] = {"a", "novel", "of", "ideas", "&", "adventure", "<em>", "that", "stays", "with", "you", "long", "after"};
    book_page p{{7, "The Left Hand of Darkness", "Ursula K. Le Guin", 1969, 4.26}, {}};
    for (int i = 0; i < 50; ++i) {
        std::string text;
        for (int k = 0; k < 10 + i % 30; ++k) {
            if (k != 0) text += ' ';
            text += words[(i + k) % 13];
        }
        p.reviews.push_back({1000 + i, "reader number " + std::to_string(i), 1 + i % 5, text});
    }
    return p;
}

void render_vial(std::string& out, const book_page& p) { vial::render_template_to<"book.html">(out, book_templates, p, app); }

// ---- by hand: what a careful programmer writes for the same bytes ------------------------

void escape(std::string& out, std::string_view s) {
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&#34;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
}
void number(std::string& out, long long v) {
    char buf[24];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

void render_hand(std::string& out, const book_page& p) {
    out += "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>";
    escape(out, p.book.title);
    out += " - BookReviews</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n</head>\n<body>\n"
           "<nav><a href=\"/\">Books</a> <a href=\"/search\">Search</a></nav>\n<main>\n\n<h1>";
    escape(out, p.book.title);
    out += "</h1>\n<p class=\"author\">by ";
    escape(out, p.book.author);
    out += " (";
    number(out, p.book.year);
    out += ")</p>\n<p>Average rating: ";
    char buf[32];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, std::nearbyint(p.book.average * 10) / 10).ptr);
    out += " from ";
    number(out, static_cast<long long>(p.reviews.size()));
    out += " reviews</p>\n<ul class=\"reviews\">\n";
    bool first = true;
    for (const review& r : p.reviews) {
        out += "\n<li id=\"review-";
        number(out, r.id);
        out += first ? "\" class=\"first\">\n<a href=\"/books/" : "\">\n<a href=\"/books/";
        first = false;
        number(out, p.book.id);
        out += "/reviews/";
        number(out, r.id);
        out += "\">";
        bool start = true;
        for (char c : r.user) {
            const bool alnum = std::isalnum(static_cast<unsigned char>(c)) != 0;
            const char t = start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                                 : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            escape(out, std::string_view(&t, 1));
            start = !alnum;
        }
        out += "</a>\n<span class=\"stars\">";
        number(out, r.rating);
        out += "/5</span>\n<p>";
        // truncate(120): Jinja's rule, cut at a word, "..." appended, a leeway of 5.
        std::string_view text = r.text;
        if (text.size() <= 125) {
            escape(out, text);
        } else {
            std::string_view head = text.substr(0, 117);
            if (const auto space = head.rfind(' '); space != std::string_view::npos) head = head.substr(0, space);
            escape(out, head);
            out += "...";
        }
        out += "</p>\n</li>\n";
    }
    out += "\n</ul>\n\n</main>\n<footer>BookReviews, a vial example</footer>\n</body>\n</html>";
}

// ---- kainjow mustache: the template parsed once, the data built once ---------------------

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

struct mustache_page {
    kainjow::mustache::mustache view;
    kainjow::mustache::data data;
};

mustache_page make_mustache(const book_page& p) {
    using namespace kainjow::mustache;
    const std::string dir = VIAL_BENCH_TEMPLATES_DIR;
    mustache_page m{mustache(read_file(dir + "/book.mustache")), data{}};
    m.data.set("header", partial([p] {
                   return std::string("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{{title}} - "
                                      "BookReviews</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n</head>\n<body>\n"
                                      "<nav><a href=\"/\">Books</a> <a href=\"/search\">Search</a></nav>\n<main>");
               }));
    m.data.set("footer", partial([] {
                   return std::string("</main>\n<footer>BookReviews, a vial example</footer>\n</body>\n</html>");
               }));
    m.data.set("title", p.book.title);
    m.data.set("author", p.book.author);
    m.data.set("year", std::to_string(p.book.year));
    m.data.set("average", "4.3");
    m.data.set("count", std::to_string(p.reviews.size()));
    data list{data::type::list};
    bool first = true;
    for (const review& r : p.reviews) {
        // Mustache has no filters: the title-cased name, the shortened text and the URL are
        // computed here, once, outside the timed loop.
        data item;
        item.set("id", std::to_string(r.id));
        std::string title = r.user;
        bool start = true;
        for (char& c : title) {
            c = start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
            start = c == ' ';
        }
        item.set("user_title", title);
        item.set("rating", std::to_string(r.rating));
        item.set("text_short", r.text.size() <= 125 ? r.text : r.text.substr(0, r.text.rfind(' ', 117)) + "...");
        item.set("url", "/books/7/reviews/" + std::to_string(r.id));
        item.set("first", first ? data::type::bool_true : data::type::bool_false);
        first = false;
        list << item;
    }
    m.data.set("reviews", list);
    return m;
}

const book_page page = make_page();

void BM_vial_template(benchmark::State& state) {
    std::string out;
    for (auto _ : state) {
        out.clear();
        render_vial(out, page);
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_vial_template);

void BM_hand_built(benchmark::State& state) {
    std::string out;
    for (auto _ : state) {
        out.clear();
        render_hand(out, page);
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_hand_built);

// A fresh string per page, as a handler returning its body does.
void BM_vial_template_new_string(benchmark::State& state) {
    for (auto _ : state) {
        std::string out = vial::render_template<"book.html">(book_templates, page, app);
        benchmark::DoNotOptimize(out.data());
    }
}
BENCHMARK(BM_vial_template_new_string);

void BM_mustache(benchmark::State& state) {
    mustache_page m = make_mustache(page);
    std::string out;
    for (auto _ : state) {
        out.clear();
        m.view.render(m.data, [&out](const std::string& s) { out += s; });
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_mustache);

}  // namespace

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a.substr(0, 8) != "--print=") continue;
        std::string out;
        if (a == "--print=vial") render_vial(out, page);
        else if (a == "--print=hand") render_hand(out, page);
        else {
            mustache_page m = make_mustache(page);
            out = m.view.render(m.data);
        }
        std::fwrite(out.data(), 1, out.size(), stdout);
        return 0;
    }
    // The page built by hand must be the template's, byte for byte.
    std::string a;
    std::string b;
    render_vial(a, page);
    render_hand(b, page);
    if (a != b) {
        std::fprintf(stderr, "template_page: the hand-built page differs from the template's\n");
        return 1;
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
