#ifndef VIAL_TEMPLATE_PARSE_HPP
#define VIAL_TEMPLATE_PARSE_HPP

/// @file
/// The template grammar: a constexpr parser over a template's text into flat arrays of
/// statement nodes, expression nodes and call arguments. It never throws: it returns an error
/// kind and the offset where the mistake is, so the same code runs in tests at run time and
/// in the compiler when a template is rendered.
///
/// @code
/// template   ::= ( text | "{{" expr "}}" | "{%" statement "%}" | "{#" any "#}" )*
///                 ("{{-", "{%-", "{#-" strip the whitespace before; "-}}", "-%}", "-#}" after)
/// statement  ::= "if" expr | "elif" expr | "else" | "endif"
///              | "for" name ("," name)? "in" expr | "endfor"
///              | "set" name "=" expr | "block" name | "endblock" name?
///              | "extends" string | "include" string | "raw" ... "endraw"
///              | "macro" name "(" (name ("=" expr)?),* ")" | "endmacro"
/// expr       ::= and ("or" and)*          and ::= not ("and" not)*
/// not        ::= "not" not | compare      compare ::= filtered (op filtered)?
/// op         ::= "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in"
/// filtered   ::= postfix ("|" name ("(" args ")")?)*
/// postfix    ::= primary ("." name | "[" expr "]" | "(" args ")")*
/// primary    ::= name | string | number | "true" | "false" | "none" | "(" expr ")"
/// args       ::= ((name "=")? expr),*
/// @endcode

#include <vial/route/grammar.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vial::detail::tpl {

/// What is wrong with a template's text.
enum class parse_error : std::uint8_t {
    none,
    unclosed_tag,         ///< "{{" or "{%" or "{#" without its closing pair
    unclosed_block,       ///< "{% if %}" (for, block, macro, raw) without its end tag
    mismatched_end,       ///< "{% endfor %}" closing an if, "{% endblock b %}" closing block a
    unexpected_end,       ///< an end tag, elif or else with nothing open to close
    unknown_statement,    ///< "{% frobnicate %}"
    bad_expression,       ///< an expression that does not parse
    unknown_filter,       ///< "x|frobnicate"
    misplaced_extends,    ///< extends not first, or twice
    too_deep,             ///< more than 64 nested blocks or 32 nested parentheses
    too_long_name,        ///< a name longer than 63 characters
};

/// A piece of the template's text.
struct text_span {
    std::uint32_t begin = 0;
    std::uint32_t size = 0;
    [[nodiscard]] constexpr std::string_view in(std::string_view text) const noexcept { return text.substr(begin, size); }
};

enum class node_kind : std::uint8_t {
    text,      ///< literal text
    output,    ///< {{ expr }}
    if_,       ///< {% if expr %}: branches follow as elif/else nodes, then end
    elif,
    else_,     ///< else of an if or of a for
    for_,      ///< {% for a[, b] in expr %}
    set,       ///< {% set name = expr %}
    block,     ///< {% block name %}
    extends,   ///< {% extends "name" %}
    include,   ///< {% include "name" %}
    macro,     ///< {% macro name(params) %}
    end,       ///< endif, endfor, endblock, endmacro
};

inline constexpr std::uint32_t no_index = 0xffffffffu;

struct node {
    node_kind kind = node_kind::text;
    std::uint32_t pos = 0;          ///< offset of the tag in the text (for messages)
    text_span text{};               ///< text: the text; block/macro: name; extends/include: the name
    text_span target{};             ///< for: first target; set: the name
    text_span target2{};            ///< for: second target (`for k, v in ...`), or size 0
    std::uint32_t expr = no_index;  ///< if/elif/for/set/output: the expression
    std::uint32_t next = 0;         ///< if/elif/for/else: the next branch (elif, else or end)
    std::uint32_t end = 0;          ///< compound: the end node (siblings resume at end + 1)
    std::uint32_t first_arg = 0;    ///< macro: parameters
    std::uint32_t arg_count = 0;
};

enum class expr_kind : std::uint8_t {
    name,        ///< a variable: text
    string,      ///< a string literal: text (without its quotes)
    integer,     ///< ival
    floating,    ///< fval
    boolean,     ///< ival 0 or 1
    none,
    attr,        ///< a.name: lhs, text
    index,       ///< a[b]: lhs, rhs
    call,        ///< a(args): lhs, args
    filter,      ///< a|name(args): lhs, text, args
    not_,        ///< not a: lhs
    and_,        ///< lhs and rhs
    or_,         ///< lhs or rhs
    compare,     ///< lhs op rhs
};

enum class compare_op : std::uint8_t { eq, ne, lt, le, gt, ge, in, not_in };

struct expr_node {
    expr_kind kind = expr_kind::none;
    compare_op op = compare_op::eq;
    std::uint32_t pos = 0;
    text_span text{};
    std::uint32_t lhs = no_index;
    std::uint32_t rhs = no_index;
    std::uint32_t first_arg = 0;
    std::uint32_t arg_count = 0;
    std::int64_t ival = 0;
    double fval = 0;
};

/// A call or filter argument, or a macro parameter: `name=expr`, or `expr` (name size 0).
struct arg_node {
    text_span name{};
    std::uint32_t expr = no_index;
};

/// The filters templates may use.
inline constexpr std::string_view filter_names[] = {
    "escape", "e",     "safe", "upper",    "lower",     "title",  "length", "count", "default", "d",
    "join",   "truncate", "round", "int", "string", "urlencode", "tojson", "trim",   "capitalize"};

constexpr bool known_filter(std::string_view n) noexcept {
    for (std::string_view f : filter_names)
        if (f == n) return true;
    return false;
}

struct template_sizes {
    std::uint32_t nodes = 0;
    std::uint32_t exprs = 0;
    std::uint32_t args = 0;
};

/// A parsed template: nodes[0, node_count) in text order, or the first error and where it is.
template <template_sizes S>
struct parsed_template {
    std::array<node, S.nodes + 1> nodes{};
    std::array<expr_node, S.exprs + 1> exprs{};
    std::array<arg_node, S.args + 1> args{};
    std::uint32_t node_count = 0;
    parse_error error = parse_error::none;
    std::uint32_t error_pos = 0;
    text_span error_name{};         ///< the offending name, when there is one
    std::uint32_t extends = no_index;  ///< the extends node, if any
};

constexpr bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
constexpr bool is_ident_start(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_ident(char c) noexcept { return is_ident_start(c) || is_digit(c); }

/// 1-based line and column of an offset.
struct line_column {
    std::size_t line = 1;
    std::size_t column = 1;
};
constexpr line_column line_column_of(std::string_view text, std::size_t pos) noexcept {
    line_column lc{};
    for (std::size_t i = 0; i < pos && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++lc.line;
            lc.column = 1;
        } else {
            ++lc.column;
        }
    }
    return lc;
}

/// The parser. With null arrays it only counts (the first pass, which sizes the arrays).
class parser {
public:
    /// As Jinja (keep_trailing_newline=False), one newline at the end of the text is dropped.
    constexpr parser(std::string_view text, node* nodes, expr_node* exprs, arg_node* args) noexcept
        : t_(without_trailing_newline(text)), nodes_(nodes), exprs_(exprs), args_(args) {}

    static constexpr std::string_view without_trailing_newline(std::string_view text) noexcept {
        if (text.ends_with("\r\n")) text.remove_suffix(2);
        else if (text.ends_with('\n')) text.remove_suffix(1);
        return text;
    }

    std::string_view t_;
    node* nodes_;
    expr_node* exprs_;
    arg_node* args_;
    template_sizes n_{};
    std::size_t p_ = 0;      // cursor inside a tag
    std::size_t end_ = 0;    // where the current tag's contents end
    parse_error error_ = parse_error::none;
    std::uint32_t error_pos_ = 0;
    text_span error_name_{};
    std::uint32_t extends_ = no_index;
    int paren_depth_ = 0;

    constexpr bool fail(parse_error e, std::size_t pos, text_span name = {}) noexcept {
        if (error_ == parse_error::none) {
            error_ = e;
            error_pos_ = static_cast<std::uint32_t>(pos);
            error_name_ = name;
        }
        return false;
    }

    // ---- expressions -------------------------------------------------------------------
    constexpr void skip_ws() noexcept {
        while (p_ < end_ && is_space(t_[p_])) ++p_;
    }
    constexpr bool peek(std::string_view s) noexcept {
        skip_ws();
        return t_.substr(p_, s.size()) == s && p_ + s.size() <= end_;
    }
    constexpr bool peek_word(std::string_view w) noexcept {
        skip_ws();
        return peek(w) && (p_ + w.size() >= end_ || !is_ident(t_[p_ + w.size()]));
    }
    constexpr bool eat(std::string_view s) noexcept {
        if (!peek(s)) return false;
        p_ += s.size();
        return true;
    }
    constexpr bool eat_word(std::string_view w) noexcept {
        if (!peek_word(w)) return false;
        p_ += w.size();
        return true;
    }
    constexpr bool name(text_span& out) noexcept {
        skip_ws();
        if (p_ >= end_ || !is_ident_start(t_[p_])) return false;
        const std::size_t b = p_;
        while (p_ < end_ && is_ident(t_[p_])) ++p_;
        out = {static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(p_ - b)};
        if (p_ - b > 63) return fail(parse_error::too_long_name, b, out);
        return true;
    }
    constexpr bool string_literal(text_span& out) noexcept {
        skip_ws();
        if (p_ >= end_ || (t_[p_] != '"' && t_[p_] != '\'')) return false;
        const char q = t_[p_];
        const std::size_t b = ++p_;
        while (p_ < end_ && t_[p_] != q) ++p_;
        if (p_ >= end_) return fail(parse_error::bad_expression, b - 1);
        out = {static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(p_ - b)};
        ++p_;
        return true;
    }

    constexpr std::uint32_t add_expr(const expr_node& e) noexcept {
        if (exprs_ != nullptr) exprs_[n_.exprs] = e;
        return n_.exprs++;
    }
    constexpr expr_node& expr_at(std::uint32_t i) noexcept {
        return exprs_[i];
    }

    /// Arguments up to ')': the '(' is eaten. Stores them contiguously: nested calls' args
    /// are parsed first into a scratch area, so the list is copied after.
    constexpr bool call_args(std::uint32_t& first, std::uint32_t& count) noexcept {
        arg_node local[16]{};
        std::uint32_t k = 0;
        if (!eat(")")) {
            for (;;) {
                if (k == 16) return fail(parse_error::too_deep, p_);
                arg_node a{};
                const std::size_t save = p_;
                text_span nm{};
                if (name(nm) && eat("=") && !peek("=")) a.name = nm;
                else p_ = save;
                if (!expression(a.expr)) return fail(parse_error::bad_expression, p_);
                local[k++] = a;
                if (eat(")")) break;
                if (!eat(",")) return fail(parse_error::bad_expression, p_);
            }
        }
        first = n_.args;
        count = k;
        for (std::uint32_t i = 0; i < k; ++i) {
            if (args_ != nullptr) args_[n_.args] = local[i];
            ++n_.args;
        }
        return true;
    }

    constexpr bool primary(std::uint32_t& out) noexcept {
        skip_ws();
        const std::size_t at = p_;
        expr_node e{};
        e.pos = static_cast<std::uint32_t>(at);
        if (p_ >= end_) return fail(parse_error::bad_expression, p_);
        const char c = t_[p_];
        if (c == '(') {
            ++p_;
            if (++paren_depth_ > 32) return fail(parse_error::too_deep, at);
            if (!expression(out)) return false;
            --paren_depth_;
            if (!eat(")")) return fail(parse_error::bad_expression, p_);
            return true;
        }
        if (c == '"' || c == '\'') {
            if (!string_literal(e.text)) return false;
            e.kind = expr_kind::string;
            out = add_expr(e);
            return true;
        }
        if (is_digit(c) || (c == '-' && p_ + 1 < end_ && is_digit(t_[p_ + 1]))) {
            bool negative = false;
            if (c == '-') {
                negative = true;
                ++p_;
            }
            std::int64_t v = 0;
            while (p_ < end_ && is_digit(t_[p_])) v = v * 10 + (t_[p_++] - '0');
            if (p_ + 1 < end_ && t_[p_] == '.' && is_digit(t_[p_ + 1])) {
                ++p_;
                double f = static_cast<double>(v);
                double scale = 0.1;
                while (p_ < end_ && is_digit(t_[p_])) {
                    f += scale * (t_[p_++] - '0');
                    scale /= 10;
                }
                e.kind = expr_kind::floating;
                e.fval = negative ? -f : f;
            } else {
                e.kind = expr_kind::integer;
                e.ival = negative ? -v : v;
            }
            e.text = {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(p_ - at)};
            out = add_expr(e);
            return true;
        }
        text_span nm{};
        if (!name(nm)) return fail(parse_error::bad_expression, at);
        const std::string_view w = nm.in(t_);
        if (w == "true" || w == "True" || w == "false" || w == "False") {
            e.kind = expr_kind::boolean;
            e.ival = (w[0] == 't' || w[0] == 'T') ? 1 : 0;
        } else if (w == "none" || w == "None") {
            e.kind = expr_kind::none;
        } else {
            e.kind = expr_kind::name;
        }
        e.text = nm;
        out = add_expr(e);
        return true;
    }

    constexpr bool postfix(std::uint32_t& out) noexcept {
        if (!primary(out)) return false;
        for (;;) {
            skip_ws();
            expr_node e{};
            e.pos = static_cast<std::uint32_t>(p_);
            e.lhs = out;
            if (eat(".")) {
                skip_ws();
                e.pos = static_cast<std::uint32_t>(p_);
                if (!name(e.text)) return fail(parse_error::bad_expression, p_);
                e.kind = expr_kind::attr;
            } else if (eat("[")) {
                if (!expression(e.rhs)) return false;
                if (!eat("]")) return fail(parse_error::bad_expression, p_);
                e.kind = expr_kind::index;
            } else if (eat("(")) {
                if (!call_args(e.first_arg, e.arg_count)) return false;
                e.kind = expr_kind::call;
            } else {
                return true;
            }
            out = add_expr(e);
        }
    }

    constexpr bool filtered(std::uint32_t& out) noexcept {
        if (!postfix(out)) return false;
        while (peek("|")) {
            ++p_;
            expr_node e{};
            e.kind = expr_kind::filter;
            e.lhs = out;
            skip_ws();
            e.pos = static_cast<std::uint32_t>(p_);
            if (!name(e.text)) return fail(parse_error::bad_expression, p_);
            if (!known_filter(e.text.in(t_))) return fail(parse_error::unknown_filter, e.pos, e.text);
            if (eat("(") && !call_args(e.first_arg, e.arg_count)) return false;
            out = add_expr(e);
        }
        return true;
    }

    constexpr bool compare(std::uint32_t& out) noexcept {
        if (!filtered(out)) return false;
        skip_ws();
        expr_node e{};
        e.kind = expr_kind::compare;
        e.pos = static_cast<std::uint32_t>(p_);
        e.lhs = out;
        if (eat("==")) e.op = compare_op::eq;
        else if (eat("!=")) e.op = compare_op::ne;
        else if (eat("<=")) e.op = compare_op::le;
        else if (eat(">=")) e.op = compare_op::ge;
        else if (eat("<")) e.op = compare_op::lt;
        else if (eat(">")) e.op = compare_op::gt;
        else if (eat_word("in")) e.op = compare_op::in;
        else if (peek_word("not")) {
            const std::size_t save = p_;
            p_ += 3;
            if (!eat_word("in")) {
                p_ = save;
                return true;
            }
            e.op = compare_op::not_in;
        } else {
            return true;
        }
        if (!filtered(e.rhs)) return false;
        out = add_expr(e);
        return true;
    }

    constexpr bool negation(std::uint32_t& out) noexcept {
        skip_ws();
        const std::size_t at = p_;
        if (eat_word("not")) {
            expr_node e{};
            e.kind = expr_kind::not_;
            e.pos = static_cast<std::uint32_t>(at);
            if (!negation(e.lhs)) return false;
            out = add_expr(e);
            return true;
        }
        return compare(out);
    }

    constexpr bool conjunction(std::uint32_t& out) noexcept {
        if (!negation(out)) return false;
        for (;;) {
            skip_ws();
            const std::size_t at = p_;
            if (!eat_word("and")) return true;
            expr_node e{};
            e.kind = expr_kind::and_;
            e.pos = static_cast<std::uint32_t>(at);
            e.lhs = out;
            if (!negation(e.rhs)) return false;
            out = add_expr(e);
        }
    }

    constexpr bool expression(std::uint32_t& out) noexcept {
        if (!conjunction(out)) return false;
        for (;;) {
            skip_ws();
            const std::size_t at = p_;
            if (!eat_word("or")) return true;
            expr_node e{};
            e.kind = expr_kind::or_;
            e.pos = static_cast<std::uint32_t>(at);
            e.lhs = out;
            if (!conjunction(e.rhs)) return false;
            out = add_expr(e);
        }
    }

    /// A whole expression filling the tag.
    constexpr bool tag_expression(std::uint32_t& out) noexcept {
        if (!expression(out)) return fail(parse_error::bad_expression, p_);
        skip_ws();
        if (p_ != end_) return fail(parse_error::bad_expression, p_);
        return true;
    }

    // ---- statements --------------------------------------------------------------------
    constexpr std::uint32_t add_node(const node& n) noexcept {
        if (nodes_ != nullptr) nodes_[n_.nodes] = n;
        return n_.nodes++;
    }

    struct open_block {
        node_kind kind;
        std::uint32_t index;       // the opening node
        std::uint32_t last_branch; // the last if/elif/else/for node, whose next is set at the next branch
        bool has_else;
    };

    constexpr void set_next(std::uint32_t at, std::uint32_t next) noexcept {
        if (nodes_ != nullptr) nodes_[at].next = next;
    }
    constexpr void set_end(std::uint32_t at, std::uint32_t end) noexcept {
        if (nodes_ != nullptr) nodes_[at].end = end;
    }

    /// Strips trailing whitespace from the last node when it is text.
    constexpr void strip_before(std::uint32_t text_node) noexcept {
        if (text_node == no_index || nodes_ == nullptr) return;
        node& n = nodes_[text_node];
        while (n.text.size > 0 && is_space(t_[n.text.begin + n.text.size - 1])) --n.text.size;
    }

    constexpr bool run() noexcept {
        open_block stack[64]{};
        int depth = 0;
        std::size_t i = 0;
        bool strip_next = false;
        std::uint32_t last_text = no_index;  // the text node just before the current tag
        while (i < t_.size()) {
            const std::size_t open = vial::detail::find_char(t_, '{', i);
            std::size_t tag = open;
            while (tag != std::string_view::npos && tag + 1 < t_.size() && t_[tag + 1] != '{' && t_[tag + 1] != '%' &&
                   t_[tag + 1] != '#')
                tag = vial::detail::find_char(t_, '{', tag + 1);
            if (tag != std::string_view::npos && tag + 1 >= t_.size()) tag = std::string_view::npos;
            const std::size_t text_end = tag == std::string_view::npos ? t_.size() : tag;
            last_text = no_index;
            if (text_end > i) {
                std::size_t b = i;
                if (strip_next)
                    while (b < text_end && is_space(t_[b])) ++b;
                node n{};
                n.kind = node_kind::text;
                n.pos = static_cast<std::uint32_t>(i);
                n.text = {static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(text_end - b)};
                last_text = add_node(n);
            }
            strip_next = false;
            if (tag == std::string_view::npos) break;
            const char kind = t_[tag + 1];
            const char close = kind == '{' ? '}' : kind;
            // The closing pair: "}}", "%}" or "#}", outside string literals (not in comments).
            std::size_t c = tag + 2;
            char quote = 0;
            for (; c + 1 < t_.size(); ++c) {
                if (kind != '#') {
                    if (quote != 0) {
                        if (t_[c] == quote) quote = 0;
                        continue;
                    }
                    if (t_[c] == '"' || t_[c] == '\'') {
                        quote = t_[c];
                        continue;
                    }
                }
                if (t_[c] == close && t_[c + 1] == '}') break;
            }
            if (c + 1 >= t_.size()) return fail(parse_error::unclosed_tag, tag);
            std::size_t b = tag + 2;
            std::size_t e = c;
            if (b < e && t_[b] == '-') {
                ++b;
                strip_before(last_text);
            }
            if (e > b && t_[e - 1] == '-') {
                --e;
                strip_next = true;
            }
            i = c + 2;
            if (kind == '#') continue;
            p_ = b;
            end_ = e;
            if (kind == '{') {
                node n{};
                n.kind = node_kind::output;
                n.pos = static_cast<std::uint32_t>(tag);
                if (!tag_expression(n.expr)) return false;
                add_node(n);
                continue;
            }
            // A statement.
            text_span word{};
            skip_ws();
            const std::size_t word_at = p_;
            if (!name(word)) return fail(parse_error::unknown_statement, word_at);
            const std::string_view w = word.in(t_);
            node n{};
            n.pos = static_cast<std::uint32_t>(tag);
            if (w == "if" || w == "for" || w == "block" || w == "macro") {
                if (depth == 64) return fail(parse_error::too_deep, tag);
                if (w == "if") {
                    n.kind = node_kind::if_;
                    if (!tag_expression(n.expr)) return false;
                } else if (w == "for") {
                    n.kind = node_kind::for_;
                    if (!name(n.target)) return fail(parse_error::bad_expression, p_);
                    if (eat(",") && !name(n.target2)) return fail(parse_error::bad_expression, p_);
                    if (!eat_word("in")) return fail(parse_error::bad_expression, p_);
                    if (!tag_expression(n.expr)) return false;
                } else if (w == "block") {
                    n.kind = node_kind::block;
                    if (!name(n.text)) return fail(parse_error::bad_expression, p_);
                    skip_ws();
                    if (p_ != end_) return fail(parse_error::bad_expression, p_);
                } else {
                    n.kind = node_kind::macro;
                    if (!name(n.text) || !eat("(")) return fail(parse_error::bad_expression, p_);
                    if (!call_args(n.first_arg, n.arg_count)) return false;
                    skip_ws();
                    if (p_ != end_) return fail(parse_error::bad_expression, p_);
                }
                const std::uint32_t at = add_node(n);
                stack[depth++] = open_block{n.kind, at, at, false};
            } else if (w == "elif" || w == "else") {
                if (depth == 0 || (stack[depth - 1].kind != node_kind::if_ && stack[depth - 1].kind != node_kind::for_) ||
                    stack[depth - 1].has_else || (w == "elif" && stack[depth - 1].kind != node_kind::if_))
                    return fail(parse_error::unexpected_end, tag, word);
                if (w == "elif") {
                    n.kind = node_kind::elif;
                    if (!tag_expression(n.expr)) return false;
                } else {
                    n.kind = node_kind::else_;
                    skip_ws();
                    if (p_ != end_) return fail(parse_error::bad_expression, p_);
                    stack[depth - 1].has_else = true;
                }
                const std::uint32_t at = add_node(n);
                set_next(stack[depth - 1].last_branch, at);
                stack[depth - 1].last_branch = at;
            } else if (w == "endif" || w == "endfor" || w == "endblock" || w == "endmacro") {
                if (depth == 0) return fail(parse_error::unexpected_end, tag, word);
                const open_block& top = stack[depth - 1];
                const node_kind want = w == "endif" ? node_kind::if_
                                       : w == "endfor" ? node_kind::for_
                                       : w == "endblock" ? node_kind::block
                                                         : node_kind::macro;
                if (top.kind != want) return fail(parse_error::mismatched_end, tag, word);
                if (want == node_kind::block) {
                    text_span nm{};
                    if (name(nm) && nodes_ != nullptr && nm.in(t_) != nodes_[top.index].text.in(t_))
                        return fail(parse_error::mismatched_end, nm.begin, nm);
                }
                skip_ws();
                if (p_ != end_) return fail(parse_error::bad_expression, p_);
                n.kind = node_kind::end;
                const std::uint32_t at = add_node(n);
                set_next(top.last_branch, at);
                set_end(top.index, at);
                // Every branch of an if knows the end too.
                if (nodes_ != nullptr)
                    for (std::uint32_t k = top.index; k != at; k = nodes_[k].next) nodes_[k].end = at;
                --depth;
            } else if (w == "set") {
                n.kind = node_kind::set;
                if (!name(n.target) || !eat("=")) return fail(parse_error::bad_expression, p_);
                if (!tag_expression(n.expr)) return false;
                add_node(n);
            } else if (w == "extends" || w == "include") {
                n.kind = w == "extends" ? node_kind::extends : node_kind::include;
                if (!string_literal(n.text)) return fail(parse_error::bad_expression, p_);
                skip_ws();
                if (p_ != end_) return fail(parse_error::bad_expression, p_);
                if (n.kind == node_kind::extends) {
                    // Only text (whitespace) may come before extends.
                    bool first = extends_ == no_index && depth == 0;
                    if (nodes_ != nullptr)
                        for (std::uint32_t k = 0; k < n_.nodes && first; ++k)
                            for (char ch : nodes_[k].text.in(t_))
                                first = first && nodes_[k].kind == node_kind::text && is_space(ch);
                    if (!first) return fail(parse_error::misplaced_extends, tag);
                    extends_ = n_.nodes;
                }
                add_node(n);
            } else if (w == "raw") {
                skip_ws();
                if (p_ != end_) return fail(parse_error::bad_expression, p_);
                // Up to "{% endraw %}" (with optional '-' and spaces).
                std::size_t k = i;
                for (;;) {
                    // find_char, not std::string_view::find: see its comment (g++ -fsanitize=undefined).
                    while ((k = vial::detail::find_char(t_, '{', k)) != std::string_view::npos && (k + 1 == t_.size() || t_[k + 1] != '%')) ++k;
                    if (k == std::string_view::npos) return fail(parse_error::unclosed_block, tag, word);
                    std::size_t q = k + 2;
                    if (q < t_.size() && t_[q] == '-') ++q;
                    while (q < t_.size() && is_space(t_[q])) ++q;
                    if (t_.substr(q, 6) == "endraw") {
                        q += 6;
                        while (q < t_.size() && is_space(t_[q])) ++q;
                        bool strip_after = false;
                        if (q < t_.size() && t_[q] == '-') {
                            strip_after = true;
                            ++q;
                        }
                        if (t_.substr(q, 2) != "%}") return fail(parse_error::unclosed_tag, k);
                        node raw{};
                        raw.kind = node_kind::text;
                        raw.pos = static_cast<std::uint32_t>(i);
                        std::size_t rb = i;
                        if (strip_next)
                            while (rb < k && is_space(t_[rb])) ++rb;
                        std::size_t re = k;
                        if (t_[k + 2] == '-')
                            while (re > rb && is_space(t_[re - 1])) --re;
                        raw.text = {static_cast<std::uint32_t>(rb), static_cast<std::uint32_t>(re - rb)};
                        add_node(raw);
                        strip_next = strip_after;
                        i = q + 2;
                        break;
                    }
                    k += 2;
                }
            } else {
                return fail(parse_error::unknown_statement, word_at, word);
            }
        }
        if (depth > 0) {
            const std::uint32_t at = stack[depth - 1].index;
            return fail(parse_error::unclosed_block, nodes_ != nullptr ? nodes_[at].pos : 0);
        }
        return true;
    }
};

/// The first pass: how big the arrays of a template are.
constexpr template_sizes measure_template(std::string_view text) noexcept {
    parser p(text, nullptr, nullptr, nullptr);
    p.run();
    return p.n_;
}

/// The second pass: the template's nodes, or its first error.
template <template_sizes S>
constexpr parsed_template<S> parse_template(std::string_view text) noexcept {
    parsed_template<S> out{};
    parser p(text, out.nodes.data(), out.exprs.data(), out.args.data());
    p.run();
    out.node_count = p.n_.nodes;
    out.error = p.error_;
    out.error_pos = p.error_pos_;
    out.error_name = p.error_name_;
    out.extends = p.extends_;
    return out;
}

}  // namespace vial::detail::tpl

#endif  // VIAL_TEMPLATE_PARSE_HPP
