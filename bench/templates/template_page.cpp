// The book page of BookReviews three ways: a vial template (bench/templates/templates, a base
// layout and a loop of 50 reviews with filters and url_for), the same bytes built by hand
// with std::string appends, and kainjow mustache (Debian's libkainjow-mustache-dev) on an
// equivalent template. jinja_book.py times Jinja2 on the same template files.
//
//   template_page --print=vial|hand|mustache   prints one page
//   template_page --count=WHICH:N              renders N pages one way (vial, hand, mustache,
//                                              mustache_render_only, none), for callgrind
//   template_page [benchmark flags]             runs the benchmarks (Google Benchmark)
#include <vial/route.hpp>
#include <vial/template.hpp>
#include <vial_templates/book_templates.hpp>

#include <benchmark/benchmark.h>
#include <boost/hana/define_struct.hpp>
#include <kainjow/mustache.hpp>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cmath>
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
// Exactly the work the template does, no less and no more: HTML escaping (by runs between the
// five special characters, as MarkupSafe), Jinja's title and truncate (counting characters,
// not bytes), round(1) printed as Python does, and the URL built from the two ids.

void escape(std::string& out, std::string_view s) {
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char* rep = nullptr;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&#34;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        out.append(s.data() + run, i - run);
        out += rep;
        run = i + 1;
    }
    out.append(s.data() + run, s.size() - run);
}
void number(std::string& out, long long v) {
    char buf[24];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}
/// Python's repr of a float: the shortest round trip, ".0" when whole.
void python_float(std::string& out, double v) {
    char buf[32];
    const char* end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    const std::string_view s(buf, static_cast<std::size_t>(end - buf));
    out += s;
    if (s.find_first_of(".en") == std::string_view::npos) out += ".0";
}
/// Jinja's title: a word starts after whitespace or one of - ( { [ <.
void title(std::string& out, std::string_view s, bool html = true) {
    std::string t(s);
    bool start = true;
    for (char& c : t) {
        c = start ? (c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c) : (c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
        start = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-' || c == '(' || c == '{' || c == '[' || c == '<';
    }
    if (html) escape(out, t);
    else out += t;
}
/// Jinja's truncate(120): at most 120 characters plus a leeway of 5, else cut at a word within
/// the first 117 and "..." appended.
void truncate120(std::string& out, std::string_view text, bool html = true) {
    const auto put = [&](std::string_view piece) {
        if (html) escape(out, piece);
        else out += piece;
    };
    std::size_t chars = 0;
    std::size_t cut = text.size();
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xc0) == 0x80) continue;
        if (chars == 117) cut = i;
        ++chars;
    }
    if (chars <= 125) {
        put(text);
        return;
    }
    std::string_view head = text.substr(0, cut);
    if (const auto space = head.rfind(' '); space != std::string_view::npos) head = head.substr(0, space);
    put(head);
    out += "...";
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
    python_float(out, std::nearbyint(p.book.average * 10) / 10);
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
        title(out, r.user);
        out += "</a>\n<span class=\"stars\">";
        number(out, r.rating);
        out += "/5</span>\n<p>";
        truncate120(out, r.text);
        out += "</p>\n</li>\n";
    }
    if (p.reviews.empty()) out += "\n<li>No reviews yet.</li>\n";
    out += "\n</ul>\n\n</main>\n<footer>BookReviews, a vial example</footer>\n</body>\n</html>";
}

// ---- kainjow mustache ---------------------------------------------------------------------
// The template is parsed once, as an app would at start-up. Mustache has no filters and no
// url_for, so the app must build its data per request from the same structs: the numbers and
// the rating formatted, the names title-cased, the texts shortened, the URLs built. That is
// part of what a page costs with mustache, and it is inside the timed loop (BM_mustache);
// BM_mustache_render_only times the render alone, with the data built once beforehand.

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

kainjow::mustache::mustache make_mustache_view() {
    return kainjow::mustache::mustache(read_file(std::string(VIAL_BENCH_TEMPLATES_DIR) + "/book.mustache"));
}

std::string to_text(long long v) {
    std::string s;
    number(s, v);
    return s;
}

/// The data of one page, built from the structs as an app does per request.
kainjow::mustache::data make_mustache_data(const book_page& p) {
    using namespace kainjow::mustache;
    data d;
    // The layout (layout.html) as two partials: mustache's way to share a layout.
    d.set("header", partial([] {
              return std::string("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{{title}} - "
                                 "BookReviews</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n</head>\n<body>\n"
                                 "<nav><a href=\"{{index_url}}\">Books</a> <a href=\"{{search_url}}\">Search</a></nav>\n<main>\n");
          }));
    d.set("footer", partial([] { return std::string("</main>\n<footer>BookReviews, a vial example</footer>\n</body>\n</html>"); }));
    d.set("index_url", vial::url_for<"index", app>());
    d.set("search_url", vial::url_for<"search", app>());
    d.set("title", p.book.title);
    d.set("author", p.book.author);
    d.set("year", to_text(p.book.year));
    std::string average;
    python_float(average, std::nearbyint(p.book.average * 10) / 10);
    d.set("average", average);
    d.set("count", to_text(static_cast<long long>(p.reviews.size())));
    data list{data::type::list};
    bool first = true;
    for (const review& r : p.reviews) {
        data item;
        item.set("id", to_text(r.id));
        std::string name;
        title(name, r.user, false);  // mustache escapes it
        item.set("user_title", name);
        item.set("rating", to_text(r.rating));
        std::string text;
        truncate120(text, r.text, false);
        item.set("text_short", text);
        item.set("url", vial::url_for<"review", app>(p.book.id, r.id));
        item.set("first", first ? data::type::bool_true : data::type::bool_false);
        first = false;
        list << item;
    }
    d.set("reviews", list);
    return d;
}

void render_mustache(std::string& out, const kainjow::mustache::mustache& view, const kainjow::mustache::data& d) {
    // render() is not const in kainjow 4.1, though it leaves the template as it was.
    const_cast<kainjow::mustache::mustache&>(view).render(d, [&out](const std::string& s) { out += s; });
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

// What a page costs an app with mustache: its data built from the structs, then rendered.
void BM_mustache(benchmark::State& state) {
    const kainjow::mustache::mustache view = make_mustache_view();
    std::string out;
    for (auto _ : state) {
        out.clear();
        render_mustache(out, view, make_mustache_data(page));
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_mustache);

// Mustache's render alone, the data built once before the loop (not what an app pays).
void BM_mustache_render_only(benchmark::State& state) {
    const kainjow::mustache::mustache view = make_mustache_view();
    const kainjow::mustache::data d = make_mustache_data(page);
    std::string out;
    for (auto _ : state) {
        out.clear();
        render_mustache(out, view, d);
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_mustache_render_only);

/// Renders `n` pages one way (for callgrind and perf stat: `--count=vial:10000`).
int count_pages(std::string_view which, long n) {
    std::string out;
    const kainjow::mustache::mustache view = make_mustache_view();
    const kainjow::mustache::data prebuilt = make_mustache_data(page);
    std::size_t bytes = 0;
    for (long i = 0; i < n; ++i) {
        out.clear();
        if (which == "vial") render_vial(out, page);
        else if (which == "hand") render_hand(out, page);
        else if (which == "mustache") render_mustache(out, view, make_mustache_data(page));
        else if (which == "mustache_render_only") render_mustache(out, view, prebuilt);
        else if (which == "none") out = "x";
        else {
            std::fprintf(stderr, "template_page: --count=vial|hand|mustache|mustache_render_only|none:N\n");
            return 2;
        }
        bytes += out.size();
    }
    std::printf("%ld pages, %zu bytes\n", n, bytes);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a.substr(0, 8) == "--count=") {
            const std::string_view spec = a.substr(8);
            const std::size_t colon = spec.find(':');
            const long n = colon == std::string_view::npos ? 1000 : std::atol(std::string(spec.substr(colon + 1)).c_str());
            return count_pages(spec.substr(0, colon), n);
        }
        if (a.substr(0, 8) != "--print=") continue;
        std::string out;
        if (a == "--print=vial") render_vial(out, page);
        else if (a == "--print=hand") render_hand(out, page);
        else render_mustache(out, make_mustache_view(), make_mustache_data(page));
        std::fwrite(out.data(), 1, out.size(), stdout);
        return 0;
    }
    // The pages built by hand and by mustache must be the template's, byte for byte.
    std::string a;
    std::string b;
    std::string c;
    render_vial(a, page);
    render_hand(b, page);
    render_mustache(c, make_mustache_view(), make_mustache_data(page));
    if (a != b || a != c) {
        std::fprintf(stderr, "template_page: the %s page differs from the template's\n", a != b ? "hand-built" : "mustache");
        return 1;
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
